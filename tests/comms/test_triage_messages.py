"""Each field of the triage on messy, real-looking messages: forwards, quoted threads, signatures, HTML, ALL
CAPS, emojis, SMS shorthand, typos, several dates. Received on Friday 4 December 2026 unless said."""

import datetime as dt

import pytest

from comms.triage.pipeline import InboundMessage, triage

RECEIVED = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
FIELDS = ("intent", "event_date", "event_type", "guest_count", "venue")

CASES = [
    (
        "gmail forward: the forwarded inquiry is the content",
        "Fwd: DJ for our wedding",
        "Can you take this one?\n\n---------- Forwarded message ---------\nFrom: Jane Doe <jane@example.com>\n"
        "Date: Tue, Dec 1, 2026 at 9:12 AM\nSubject: DJ for our wedding\nTo: <info@djbiz.example>\n\n"
        "Hi, we're looking for a DJ for our wedding on May 22nd at Willow Creek Barn. 120 guests.\n\nThanks,\nJane",
        {
            "intent": "inquiry",
            "event_date": "2027-05-22",
            "event_type": "wedding",
            "guest_count": 120,
            "venue": "Willow Creek Barn",
        },
    ),
    (
        "apple mail forward",
        "Fwd: party",
        "FYI\n\nBegin forwarded message:\n\nFrom: Pat <pat@example.com>\nSubject: party\nDate: 1 December 2026\n\n"
        "How much would you charge for a 40th birthday party on Jan 16? About 60 people, at The Foundry.",
        {
            "intent": "pricing",
            "event_date": "2027-01-16",
            "event_type": "birthday",
            "guest_count": 60,
            "venue": "The Foundry",
        },
    ),
    (
        "gmail reply: the quoted thread is not new content",
        "Re: availability",
        "Great, then let's say the 19th of March instead. Can we change it?\n\n"
        "On Mon, Nov 30, 2026 at 4:02 PM DJ Dana <dana@djbiz.example> wrote:\n"
        "> Thanks! I'm booked on March 12 but free on the 19th and 26th.\n> 200 guests is fine.",
        {
            "intent": "change_request",
            "event_date": "2027-03-19",
            "event_type": None,
            "guest_count": None,
            "venue": None,
        },
    ),
    (
        "outlook reply with its header block",
        "RE: Booking",
        "Please add an extra hour to our booking, we'd like to finish at midnight.\n\n"
        "From: DJ Dana <dana@djbiz.example>\nSent: Monday, November 30, 2026 4:02 PM\nTo: Tom\n"
        "Subject: Booking\n\nYour corporate event on 1/15/2027 for 300 guests is confirmed.",
        {"intent": "change_request", "event_date": None, "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "outlook original message marker",
        "RE: your quote",
        "Thanks for the quote, but what would 5 hours cost instead of 4?\n\n-----Original Message-----\n"
        "From: DJ Dana\nSent: Monday, November 30, 2026\n\nQuote for June 5: $1,800.",
        {"intent": "pricing", "event_date": None, "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "signature with phone number and address",
        "DJ",
        "Hello! Are you available on Saturday, February 20th for a retirement party? Around 80 guests, "
        "at the Elks Lodge.\n\nBest regards,\nMarcus Okafor\n555-201-3344\n1200 Main St Suite 400\nAustin TX 78701",
        {
            "intent": "availability",
            "event_date": "2027-02-20",
            "event_type": "private_party",
            "guest_count": 80,
            "venue": "Elks Lodge",
        },
    ),
    (
        "sent from my iPhone",
        "",
        "Looking for a dj for my daughters sweet 16 april 10 @ Hilton Garden Inn. 75 kids\n\nSent from my iPhone",
        {
            "intent": "inquiry",
            "event_date": "2027-04-10",
            "event_type": "birthday",
            "guest_count": 75,
            "venue": "Hilton Garden Inn",
        },
    ),
    (
        "html body with entities",
        "Company party",
        "<html><head><style>p{color:red}</style></head><body><div>Hi,<br>We&#39;re planning our company "
        "holiday party on <b>12/18/2026</b> at Harborview Ballroom &amp; Terrace.<br>Headcount: 140.</div>"
        "<div>Could you send a quote?</div></body></html>",
        {
            "intent": "pricing",
            "event_date": "2026-12-18",
            "event_type": "corporate",
            "guest_count": 140,
            "venue": "Harborview Ballroom & Terrace",
        },
    ),
    (
        "all caps complaint",
        "TERRIBLE",
        "THE DJ NEVER SHOWED UP TO OUR PARTY. I WANT A FULL REFUND. THIS IS UNACCEPTABLE!!!",
        {"intent": "complaint", "event_date": None, "event_type": "private_party", "guest_count": None, "venue": None},
    ),
    (
        "all caps sms with a venue",
        "",
        "R U FREE 3/6 FOR A WEDDING AT THE VFW HALL? 100 PPL",
        {
            "intent": "availability",
            "event_date": "2027-03-06",
            "event_type": "wedding",
            "guest_count": 100,
            "venue": "Vfw Hall",
        },
    ),
    (
        "emojis in a thanks",
        "🎉🎉",
        "OMG thank you!!! 😍 Everyone loved the music at our wedding, the dance floor was packed all night 💃🕺",
        {"intent": "thanks", "event_date": None, "event_type": "wedding", "guest_count": None, "venue": None},
    ),
    (
        "sms shorthand",
        "",
        "hi r u free 6/14 for a bday? ~40 ppl",
        {
            "intent": "availability",
            "event_date": "2027-06-14",
            "event_type": "birthday",
            "guest_count": 40,
            "venue": None,
        },
    ),
    (
        "typos everywhere",
        "weding",
        "Hi we are geting married on Saterday Febuary 13 and wondering if your availible. aprox 90 guets",
        {
            "intent": "availability",
            "event_date": "2027-02-13",
            "event_type": "wedding",
            "guest_count": 90,
            "venue": None,
        },
    ),
    (
        "several dates: away until, then the event",
        "Wedding",
        "Sorry for the slow reply, we're away until the 3rd. The wedding is on the 14th of June at Rosewood "
        "Manor and we'd love to hear your prices.",
        {
            "intent": "pricing",
            "event_date": "2027-06-14",
            "event_type": "wedding",
            "guest_count": None,
            "venue": "Rosewood Manor",
        },
    ),
    (
        "a range of guests gives the upper end",
        "",
        "Planning a corporate event for Feb 5, 2027, 120-150 people. Do you have that date open and what do you "
        "charge?",
        {"intent": "inquiry", "event_date": "2027-02-05", "event_type": "corporate", "guest_count": 150, "venue": None},
    ),
    (
        "guests in words",
        "Inquiry",
        "We're hosting a fundraiser gala for a hundred and fifty guests at the Museum of Science on March 20th.",
        {
            "intent": "inquiry",
            "event_date": "2027-03-20",
            "event_type": "other",
            "guest_count": 150,
            "venue": "Museum of Science",
        },
    ),
    (
        "a lead form",
        "New lead from website",
        "Name: Priya Patel\nEvent type: Wedding\nDate: 09/18/2027\nVenue: Oak Hill Winery\nHeadcount: 180\n"
        "Message: Interested in your platinum package!",
        {
            "intent": "pricing",
            "event_date": "2027-09-18",
            "event_type": "wedding",
            "guest_count": 180,
            "venue": "Oak Hill Winery",
        },
    ),
    (
        "money and ordinals are not guests",
        "",
        "Our budget is $1,500 for my husband's 50th birthday on the 12th. Do you have packages in that range?",
        {"intent": "pricing", "event_date": "2026-12-12", "event_type": "birthday", "guest_count": None, "venue": None},
    ),
    (
        "change of date from one to another",
        "Change of date",
        "Hi Dana, the venue moved us. Can we move our wedding from June 14 to June 21? Everything else is the same.",
        {
            "intent": "change_request",
            "event_date": "2027-06-21",
            "event_type": "wedding",
            "guest_count": None,
            "venue": None,
        },
    ),
    (
        "change of guest count gives the new figure",
        "Guest count",
        "Quick update on our booking: the guest count went from 150 to 120 guests. Please adjust.",
        {"intent": "change_request", "event_date": None, "event_type": None, "guest_count": 120, "venue": None},
    ),
    (
        "cancellation is a change request",
        "Cancel",
        "Unfortunately we need to cancel our party on January 30. So sorry!",
        {
            "intent": "change_request",
            "event_date": "2027-01-30",
            "event_type": "private_party",
            "guest_count": None,
            "venue": None,
        },
    ),
    (
        "a country club is a place, not a club night",
        "",
        "Are you available for our wedding reception at Maple Ridge Country Club on 10/9/2027?",
        {
            "intent": "availability",
            "event_date": "2027-10-09",
            "event_type": "wedding",
            "guest_count": None,
            "venue": "Maple Ridge Country Club",
        },
    ),
    (
        "club residency",
        "Residency",
        "We run a nightclub downtown and are looking for a DJ for Friday nights starting next Friday.",
        {"intent": "inquiry", "event_date": "2026-12-11", "event_type": "club", "guest_count": None, "venue": None},
    ),
    (
        "school prom",
        "Prom 2027",
        "I'm on the prom committee at Lincoln High School. What are your rates for May 1? About 400 students.",
        {
            "intent": "pricing",
            "event_date": "2027-05-01",
            "event_type": "school",
            "guest_count": 400,
            "venue": "Lincoln High School",
        },
    ),
    (
        "bar mitzvah with adults and kids",
        "Bar mitzvah",
        "Hello, we're planning a bar mitzvah on 3/13/2027 at Temple Beth Shalom, 100 adults and 40 kids. "
        "Would love more info.",
        {
            "intent": "inquiry",
            "event_date": "2027-03-13",
            "event_type": "private_party",
            "guest_count": 140,
            "venue": "Temple Beth Shalom",
        },
    ),
    (
        "the venue is not decided",
        "",
        "Looking for a DJ for a birthday party on Jan 23. Venue: TBD. Party of 30.",
        {"intent": "inquiry", "event_date": "2027-01-23", "event_type": "birthday", "guest_count": 30, "venue": None},
    ),
    (
        "a home is a venue",
        "",
        "Could you DJ a backyard party at our house on July 4th? Maybe 50 people. How much?",
        {
            "intent": "pricing",
            "event_date": "2027-07-04",
            "event_type": "private_party",
            "guest_count": 50,
            "venue": "our house",
        },
    ),
    (
        "thanks with a question is the question",
        "Re: quote",
        "Thanks so much for getting back to me! What are your rates for 3 hours?",
        {"intent": "pricing", "event_date": None, "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "a bad previous DJ is not a complaint about us",
        "",
        "Our last DJ was terrible, so we're looking for someone great for our anniversary party on Feb 14.",
        {
            "intent": "inquiry",
            "event_date": "2027-02-14",
            "event_type": "private_party",
            "guest_count": None,
            "venue": None,
        },
    ),
    (
        "a thanks for last Saturday looks back",
        "Wow",
        "You guys killed it on Saturday!! Everyone is still talking about it. Best DJ ever.",
        {"intent": "thanks", "event_date": "2026-11-28", "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "unsubscribe",
        "",
        "Please remove me from your mailing list.",
        {"intent": "other", "event_date": None, "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "a sales pitch",
        "Grow your business",
        "Hi, we offer SEO services for small businesses like yours. Can we schedule a call?",
        {"intent": "other", "event_date": None, "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "wrapped gmail quote header",
        "Re: Saturday",  # the subject names the day: the coming Saturday
        "Sounds good, see you then!\n\nOn Thu, Dec 3, 2026 at 11:45 AM Dana from DJ Biz <dana@djbiz.example>\n"
        "wrote:\n> Your wedding on Jan 9 at the Grand Hotel is all set.",
        {"intent": "other", "event_date": "2026-12-05", "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "quinceanera with an accent",
        "Quinceañera",
        "Buenas! Need a DJ for my daughter's quinceañera Saturday March 27 at St. Mary's Hall, approx. 200 guests",
        {
            "intent": "inquiry",
            "event_date": "2027-03-27",
            "event_type": "birthday",
            "guest_count": 200,
            "venue": "St. Mary's Hall",
        },
    ),
]


CASES += [
    (
        "back in the office on a date is not the event",
        "",
        "I'm back in the office on December 10. Need a DJ for my birthday July 6th at Studio 9, 150 or so guests.",
        {
            "intent": "inquiry",
            "event_date": "2027-07-06",
            "event_type": "birthday",
            "guest_count": 150,
            "venue": "Studio 9",
        },
    ),
    (
        "a job application is not an availability question",
        "",
        "Saw your post about hiring - is the assistant position still open? My resume is attached.",
        {"intent": "other", "event_date": None, "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "a letdown",
        "About our event",
        "Frankly the service at our wedding was a letdown. The DJ was on his phone all night.",
        {"intent": "complaint", "event_date": None, "event_type": "wedding", "guest_count": None, "venue": None},
    ),
    (
        "pushing the start back on the 13th is no birthday",
        "",
        "Can we push the start of the staff party on Wednesday the 13th back by an hour?",
        {
            "intent": "change_request",
            "event_date": "2027-01-13",
            "event_type": "corporate",
            "guest_count": None,
            "venue": None,
        },
    ),
    (
        "a described event with no question is an inquiry",
        "",
        "Good morning! Our product launch is coming up March 25th at Pier 17 and we need music. 120 attendees.",
        {
            "intent": "inquiry",
            "event_date": "2027-03-25",
            "event_type": "corporate",
            "guest_count": 120,
            "venue": "Pier 17",
        },
    ),
    (
        "a capped guest count",
        "Quote please",
        "What would you charge for a wedding on July 4? Venue: The Glasshouse, 250 max.",
        {
            "intent": "pricing",
            "event_date": "2027-07-04",
            "event_type": "wedding",
            "guest_count": 250,
            "venue": "The Glasshouse",
        },
    ),
    (
        "a company selling to us is no corporate event",
        "",
        "We are a lighting company - would you like to partner with us?",
        {"intent": "other", "event_date": None, "event_type": None, "guest_count": None, "venue": None},
    ),
    (
        "a thank-you line is not a sign-off",
        "",
        "Hi Dana,\nThank you for everything!\nThe music at our wedding was perfect.\n\nThanks in advance,\nSue",
        {"intent": "thanks", "event_date": None, "event_type": "wedding", "guest_count": None, "venue": None},
    ),
]


@pytest.mark.parametrize(("subject", "body", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_fields_on_messy_messages(subject, body, expected):
    result = triage(
        InboundMessage(sender="Someone <someone@example.com>", subject=subject, body=body, received_at=RECEIVED)
    )
    found = result.as_contract()

    assert {field: found[field] for field in FIELDS} == expected


def test_sentiment_follows_vader_thresholds():
    def feeling(body: str) -> str:
        return triage(InboundMessage(sender="", subject="", body=body, received_at=RECEIVED)).sentiment

    assert feeling("You were amazing, thank you so much! 😍") == "positive"
    assert feeling("Can you send the invoice?") == "neutral"
    assert feeling("This was awful and I am angry. 😡") == "negative"


@pytest.mark.parametrize(
    ("body", "urgency"),
    [
        ("URGENT: our DJ cancelled on us, are you available tomorrow night? Birthday party, 60 people.", "high"),
        ("Are you free next Saturday for a birthday party?", "high"),  # the event is within two weeks
        ("The DJ was late and rude and we are very disappointed.", "high"),  # an angry complaint
        ("Are you available on June 14 for a wedding?", "normal"),
        ("Thank you so much for last night!", "low"),
        ("Please remove me from your mailing list.", "low"),
    ],
)
def test_urgency(body, urgency):
    assert triage(InboundMessage(sender="", subject="", body=body, received_at=RECEIVED)).urgency == urgency


def test_huge_and_pathological_messages_are_triaged_quickly():
    """VADER's time grows with the square of the words and a naive number-word regex backtracks on "a a a ...":
    a pasted novel must not stall the every-minute task."""
    import time

    for body in ("Are you free June 14? " * 20000, "at " + "A " * 20000 + "guests", "On " + "x" * 50000):
        started = time.perf_counter()
        triage(InboundMessage(sender="", subject="", body=body, received_at=RECEIVED))
        assert time.perf_counter() - started < 3
