"""Generated inbound messages with known answers for benchmarks/replies.py.

Two template families that share no sentence: TUNING (the set the triage rules were tuned on) and HELD_OUT
(written at the same time, never looked at while tuning: other phrasings, other date spellings, other venues,
Outlook-style threads instead of Gmail-style, other typos). Each family renders the same kinds of mess:
typos, SMS shorthand, several dates, signatures with phone numbers and addresses, quoted replies, forwards,
HTML bodies, ALL CAPS, emojis.

A Case is the message as the command reads it plus the answers: intent, event_date (ISO or None),
event_type, guest_count, venue."""

import datetime as dt
import random
from dataclasses import dataclass

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class Case:
    message: dict
    intent: str
    event_date: str | None
    event_type: str | None
    guest_count: int | None
    venue: str | None


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# --- what the two families render differently ------------------------------------------------------------------

FAMILIES = {
    "tuning": {
        "types": {
            "wedding": ["wedding", "wedding reception", "wedding"],
            "birthday": ["birthday party", "30th birthday", "bday party"],
            "corporate": ["company holiday party", "corporate event", "office party"],
            "school": ["school prom", "high school dance", "graduation ceremony"],
            "private_party": ["house party", "anniversary party", "retirement party"],
            "club": ["club night", "night at our club"],
            "other": ["charity fundraiser", "festival"],
        },
        "venues": [
            "The Grand Hotel",
            "Rosewood Manor",
            "Willow Creek Barn",
            "The Elks Lodge",
            "Harborview Ballroom",
            "St. Mary's Hall",
            "Maple Ridge Country Club",
            "The Foundry",
            "Oak Hill Winery",
            "Lakeside Pavilion",
        ],
        "lower_venues": ["elks lodge", "community center", "fire hall"],
        "month_typos": {"February": "Febuary", "January": "Janurary", "September": "Spetember", "August": "Agust"},
        "day_typos": {"Saturday": "Saterday", "Wednesday": "Wendsday", "Friday": "Firday"},
        "word_typos": {"wedding": "weding", "available": "availible", "guests": "guets", "people": "poeple"},
        "date_styles": [
            "Month D",
            "Month Dth",
            "D Month",
            "Dth of Month",
            "M/D",
            "M/D/YYYY",
            "the Dth",
            "next Weekday",
            "Weekday, Month D",
            "Month D, YYYY",
            "Sat Dth Month",
        ],
        "guest_styles": [
            "N guests",
            "about N people",
            "~N ppl",
            "LOW-N people",
            "words guests",
            "headcount: N",
            "N-ish guests",
        ],
        "venue_styles": ["at {v}", "venue is {v}", "at {v} in {city}"],
        "intents": {
            "inquiry": [
                "Hi! We're looking for a DJ for our {type} on {date} at {venue}. We're expecting {guests}. "
                "Could you send some info?",
                "Hello, I'm planning a {type} for {date}, {guests}, {venue_phrase}. Would love to hear more about "
                "your services.",
                "Hey there, found you on Instagram. Interested in booking a DJ for a {type} {date} {venue_phrase}, "
                "{guests}.",
            ],
            "availability": [
                "Hi, are you available on {date}? It's a {type} {venue_phrase} with {guests}.",
                "Quick question - is {date} still open? We're having a {type} {venue_phrase}, {guests}.",
                "hi r u free {date} for a {type}? {guests} {venue_phrase}",
            ],
            "pricing": [
                "Hi, how much do you charge for a {type}? It's on {date} {venue_phrase}, {guests}.",
                "Could you send me a quote for a {type} on {date}? {guests}, {venue_phrase}.",
                "what are your rates for a {type}? {guests} {venue_phrase} on {date}",
            ],
            "change_request": [
                "Hi, we booked you for our {type} - can we move it to {date}? Everything else stays the same.",
                "Hello! Our guest count has changed, we will now be {guests}. Can we update the booking?",
                "Hi, could we change the start time of our {type} on {date}? We'd like to start at 7pm instead of 6.",
            ],
            "complaint": [
                "I have to say I'm really disappointed. Our {type} was last weekend and the DJ showed up late and "
                "the music was way too loud.",
                "We are not happy at all. The sound kept cutting out during our {type} and nobody answered the phone. "
                "This is unacceptable.",
                "Honestly the worst experience. You ignored our do-not-play list and played the wrong first dance.",
            ],
            "thanks": [
                "Thank you so much for last night! Everyone loved the music at our {type} 🎉",
                "Just wanted to say a huge thanks - you were amazing at our {type}. We will recommend you to everyone!",
                "THANK YOU!! Best night ever, the dance floor was packed all night 😍",
            ],
            "other": [
                "Hi, could you resend the invoice from last month? I can't find it.",
                "Please remove me from your mailing list.",
                "Hi, we offer SEO services for small businesses. Can we schedule a call?",
            ],
        },
    },
    "held_out": {
        "types": {
            "wedding": ["wedding", "marriage celebration", "wedding day"],
            "birthday": ["50th birthday", "birthday bash", "sweet 16"],
            "corporate": ["corporate gala", "staff party", "company conference afterparty"],
            "school": ["prom", "homecoming dance", "school formal"],
            "private_party": ["engagement party", "family reunion", "backyard party"],
            "club": ["nightclub residency", "club night"],
            "other": ["church fundraiser", "community festival"],
        },
        "venues": [
            "Magnolia Gardens",
            "The Riverside Inn",
            "Bellevue Estate",
            "Cedar Point Lodge",
            "The Ivy Room",
            "Northgate Brewery",
            "Hilton Garden Inn",
            "Silver Lake Yacht Club",
            "Old Mill Barn",
            "Westfield Community Center",
        ],
        "lower_venues": ["vfw hall", "legion hall", "sports club"],
        "month_typos": {"February": "Feburary", "December": "Decemeber", "October": "Ocotber", "November": "Novmber"},
        "day_typos": {"Saturday": "Satuday", "Thursday": "Thrusday", "Sunday": "Sundy"},
        "word_typos": {"wedding": "weddding", "available": "avaliable", "birthday": "brithday", "venue": "venu"},
        "date_styles": [
            "Mon D",
            "Weekday Month Dth",
            "Dth Month YYYY",
            "DD/MM/YYYY",
            "YYYY-MM-DD",
            "this Weekday",
            "Weekday the Dth",
            "Month the Dth",
            "Mon. Dth",
            "M/D/YY",
            "Weekday Dth Month",
        ],
        "guest_styles": [
            "around N guests",
            "between LOW and N guests",
            "N+ people",
            "guest count is N",
            "for N pax",
            "approximately N attendees",
            "a couple hundred guests",
        ],
        "venue_styles": ["at {v}", "Venue: {v}", "held at {v}", "@ {v}"],
        "intents": {
            "inquiry": [
                "Good afternoon, my partner and I are getting married on {date} and need a DJ. The reception is "
                "{venue_phrase}, {guests}.",
                "We're organizing a {type} ({date}) {venue_phrase} and your name came up. {guests}. "
                "Tell me more about what you offer?",
                "Hello - searching for a DJ for our {type}. Date: {date}. {guests}. {venue_phrase}.",
            ],
            "availability": [
                "Do you have {date} open? Planning a {type} {venue_phrase}, {guests}.",
                "Checking availability for {date} - a {type}, {guests}, {venue_phrase}.",
                "yo do u have {date} free?? {type} {venue_phrase}, {guests}",
            ],
            "pricing": [
                "What would it cost to have you DJ a {type} on {date}? {guests}, {venue_phrase}.",
                "Can you give me a ballpark price for {date}? {type}, {guests}, {venue_phrase}.",
                "Looking for your pricing/packages for a {type} {venue_phrase} {date}, {guests}",
            ],
            "change_request": [
                "Hi! Small change: we need to reschedule our {type} to {date} if that works for you.",
                "Update for our booking: the guest list is now {guests}, can you adjust the setup?",
                "Hey, is it possible to add an extra hour to our {type} on {date}?",
            ],
            "complaint": [
                "I'm writing to complain about the service at our {type}. The DJ was rude to our guests and "
                "we expect a partial refund.",
                "Very unprofessional - the DJ arrived an hour late and the playlist was nothing like what we agreed.",
                "We were so embarrassed, the speakers went out twice and no one danced. Not what we paid for.",
            ],
            "thanks": [
                "We can't thank you enough for making our {type} so special ❤️",
                "You guys killed it on Saturday!! So grateful, everyone is still talking about the music.",
                "Thanks a million for everything, truly the best DJ we could have asked for.",
            ],
            "other": [
                "Hi, what is your mailing address? I want to send a card.",
                "Are you hiring DJs at the moment? I have 5 years of experience.",
                "Unsubscribe",
            ],
        },
    },
}

TYPE_INTENTS = ("inquiry", "availability", "pricing")
SIGNATURES = {
    "tuning": [
        "\n\nBest,\n{name}\n(555) 123-4567",
        "\n\nThanks!\n{name}",
        "\n\n-- \n{name} {surname}\n42 Elm Street, Springfield\nMobile: 555-987-6543",
        "\n\nSent from my iPhone",
        "\n\nCheers, {name}",
        "",
    ],
    "held_out": [
        "\n\nKind regards,\n{name} {surname}\nOperations Manager | Acme Corp\n+1 212 555 0199",
        "\n\nWarmly,\n{name}",
        "\n\n__________\n{name} {surname}\n1200 Main St Suite 4, Austin TX 78701",
        "\n\nGet Outlook for Android",
        "\n\nxo {name}",
        "",
    ],
}
FAMILIES["fresh"] = {
    "types": {
        "wedding": ["wedding", "wedding after-party", "ceremony + reception"],
        "birthday": ["21st birthday", "surprise birthday party", "kid's birthday party"],
        "corporate": ["holiday party for our firm", "product launch", "employee appreciation night"],
        "school": ["senior prom", "middle school dance", "after-prom"],
        "private_party": ["graduation party", "40th anniversary celebration", "New Year's Eve house party"],
        "club": ["Saturday night club set", "guest slot at our club"],
        "other": ["street fair", "5K charity run"],
    },
    "venues": [
        "The Loft at Fifth",
        "Brookside Gardens",
        "Union Station Ballroom",
        "Camp Lakota",
        "Pier 17",
        "The Wilder",
        "Sunset Cliffs Winery",
        "Temple Emanuel",
        "Riverfront Park Pavilion",
        "Casa Bonita",
    ],
    "lower_venues": ["moose lodge", "rec center", "church hall"],
    "month_typos": {"January": "Janury", "March": "Mrach", "July": "Juyl", "November": "Novemeber"},
    "day_typos": {"Saturday": "Saturdy", "Friday": "Fryday", "Tuesday": "Tusday"},
    "word_typos": {"wedding": "wedidng", "available": "availabe", "party": "pary", "people": "peeps"},
    "date_styles": [
        "Month Dth",
        "Mon D",
        "Dth Month YYYY",
        "Weekday, Month D",
        "M/D",
        "M/D/YYYY",
        "the Dth",
        "next Weekday",
        "YYYY-MM-DD",
        "Weekday the Dth",
        "Month D, YYYY",
    ],
    "guest_styles": [
        "N guests",
        "N-ish people",
        "expecting roughly N",
        "guest list around N",
        "N attendees",
        "LOW to N people",
        "crowd of about N people",
    ],
    "venue_styles": ["at {v}", "at {v} in {city}", "location is {v}", "@ {v}"],
    "intents": {
        "inquiry": [
            "Hiya - my fiance and I just set a date ({date}) and we're shopping around for DJs. {venue_phrase}, "
            "{guests}. What do you need from us?",
            "Good morning! Our {type} is coming up {date} {venue_phrase} and we need music. {guests}.",
            "hey!! need a dj for a {type} {date}, {guests}, {venue_phrase}. lmk",
        ],
        "availability": [
            "Any chance you're open {date}? {type}, {guests}, {venue_phrase}.",
            "Wondering if you're already booked {date}. It's a {type} {venue_phrase} with {guests}.",
            "u around {date}?? {type} {venue_phrase} {guests}",
        ],
        "pricing": [
            "What's the damage for a {type}? {date}, {venue_phrase}, {guests}.",
            "Could you send over your packages? We're doing a {type} {date} {venue_phrase}, {guests}.",
            "how much 4 a {type} {date} {venue_phrase}? {guests}",
        ],
        "change_request": [
            "Hey, slight change of plans - the {type} is moving to {date}. Does that still work?",
            "Our numbers went up, we're now {guests}. Is that a problem for the sound setup?",
            "Can we push the start of the {type} on {date} back by an hour?",
        ],
        "complaint": [
            "I'm sorry to say we were let down. The DJ took long breaks and the volume was painful at our {type}.",
            "Really poor communication - nobody replied to my last three emails and the music was not what we asked.",
            "We paid for four hours and got two and a half. I'd like this resolved.",
        ],
        "thanks": [
            "Just a quick note to say thank you - our {type} was perfect and the playlist was spot on!",
            "Still buzzing from last night, you were incredible 🙌",
            "Huge thanks from the whole family, you made the {type} unforgettable.",
        ],
        "other": [
            "Do you have a W-9 you can send over for our records?",
            "Is this still the best email to reach you at?",
            "Hi, I'm a photographer in the area - would love to connect and refer clients to each other.",
        ],
    },
}
SIGNATURES["fresh"] = [
    "\n\nRegards,\n{name}",
    "\n\nThank you,\n{name} {surname}\nCell 617.555.0144",
    "\n\n--\n{name} | Event Coordinator\nwww.example.com",
    "\n\nSent from my Galaxy",
    "\n\n- {name}",
    "",
]

FAMILIES["final"] = {
    "types": {
        "wedding": ["wedding", "wedding reception", "reception after our ceremony"],
        "birthday": ["60th birthday dinner", "birthday", "twins' birthday party"],
        "corporate": ["corporate mixer", "year-end office party", "company picnic"],
        "school": ["school dance", "prom night", "PTA fundraiser dance at the school"],
        "private_party": ["housewarming", "anniversary dinner", "private party"],
        "club": ["club night", "night at the club"],
        "other": ["festival stage", "charity gala"],
    },
    "venues": [
        "Greystone Mansion",
        "The Boathouse",
        "Blue Heron Farm",
        "Hotel Vandivort",
        "Marigold Hall",
        "The Rusty Spur",
        "Lakewood Country Club",
        "Franklin Institute",
        "Studio 9",
        "The Sycamore",
    ],
    "lower_venues": ["moose lodge", "senior center", "legion post"],
    "month_typos": {"August": "Augest", "September": "Septmber", "December": "Decmber", "June": "Jnue"},
    "day_typos": {"Saturday": "Saturady", "Friday": "Fridy", "Sunday": "Sundya"},
    "word_typos": {"wedding": "wdding", "available": "avalable", "guests": "gusts", "party": "prty"},
    "date_styles": [
        "Month Dth",
        "Weekday Month D",
        "D Month",
        "M/D",
        "M/D/YYYY",
        "the Dth",
        "next Weekday",
        "Month D, YYYY",
        "Mon D",
        "Weekday the Dth",
        "DD/MM/YYYY",
    ],
    "guest_styles": [
        "N guests",
        "about N people",
        "N ppl",
        "LOW-N people",
        "words guests",
        "headcount N",
        "N or so guests",
    ],
    "venue_styles": ["at {v}", "at {v} in {city}", "venue is {v}", "@ {v}"],
    "intents": {
        "inquiry": [
            "Hello! I got your name from a friend. We're throwing a {type} {date} {venue_phrase} for {guests} "
            "and would like a DJ.",
            "We would like to hire you for our {type}. Details: {date}, {venue_phrase}, {guests}.",
            "hi there need dj for {type} {date} {venue_phrase} {guests} thx",
        ],
        "availability": [
            "Would you be available {date} for our {type}? {venue_phrase}, {guests}.",
            "Hi - wanted to check if {date} is free on your calendar. {type} {venue_phrase}, {guests}.",
            "u available {date}? {type} {venue_phrase}, {guests}",
        ],
        "pricing": [
            "Can I get a price for DJing a {type}? {date}, {venue_phrase}, {guests}.",
            "What's your rate for a {type} {date}? {venue_phrase}, {guests}. Thanks!",
            "how much do u charge for a {type} {date} {venue_phrase} {guests}",
        ],
        "change_request": [
            "Hi, we have to reschedule our {type} - new date is {date}. Please confirm.",
            "Just so you know, we expect {guests} now instead of what we told you. Can you plan for that?",
            "Could we move the {type} to {date}? The venue double-booked us.",
        ],
        "complaint": [
            "Frankly the service at our {type} was a letdown. The DJ was on his phone all night.",
            "Our first dance song was skipped and the MC mispronounced our names. Not acceptable for what we paid.",
            "I've called three times about the missing lighting we paid for and nobody got back to me.",
        ],
        "thanks": [
            "We had the best time at our {type}, thank you for everything!!",
            "Thank you thank you thank you. The music was exactly right.",
            "Really appreciate you squeezing us in for the {type}. Everyone was dancing!",
        ],
        "other": [
            "Can you tell me what equipment you bring? Our venue coordinator is asking.",
            "Who should I make the check out to?",
            "Saw your post about hiring - is the assistant position still open?",
        ],
    },
}
SIGNATURES["final"] = [
    "\n\nAll the best,\n{name}",
    "\n\nThanks in advance,\n{name} {surname}\n(617) 555-0123",
    "\n\n-- \n{name} {surname}\n88 Harbor Rd, Salem MA",
    "\n\nSent from Yahoo Mail on Android",
    "\n\n{name}",
    "",
]

FAMILIES["blind"] = {
    "types": {
        "wedding": ["wedding", "wedding celebration", "vow renewal and wedding party"],
        "birthday": ["18th birthday", "birthday celebration", "surprise 70th birthday"],
        "corporate": ["company party", "corporate holiday event", "staff Christmas party"],
        "school": ["high school prom", "school disco", "homecoming"],
        "private_party": ["engagement party", "retirement party", "backyard BBQ party"],
        "club": ["club night", "nightclub gig"],
        "other": ["charity fundraiser", "music festival"],
    },
    "venues": [
        "Thornbury Castle",
        "The Old Granary",
        "Harbor Point Yacht Club",
        "Riverbend Barn",
        "The Waterfront Hotel",
        "Carlton Ballroom",
        "Fox Hollow Farm",
        "The Glasshouse",
        "Ashford Manor",
        "Pine Valley Lodge",
    ],
    "lower_venues": ["scout hut", "village hall", "golf club"],
    "month_typos": {"January": "Januray", "October": "Ocotber", "September": "Setpember", "April": "Aprl"},
    "day_typos": {"Saturday": "Satruday", "Friday": "Firday", "Thursday": "Thurday"},
    "word_typos": {"wedding": "weddin", "available": "availble", "guests": "guestes", "birthday": "bday"},
    "date_styles": [
        "Weekday Month Dth",
        "Dth of Month",
        "M/D",
        "Month D",
        "Mon D, YYYY",
        "the Dth",
        "next Weekday",
        "Weekday the Dth",
        "D Month",
        "YYYY-MM-DD",
        "M/D/YYYY",
    ],
    "guest_styles": [
        "N guests",
        "up to N people",
        "N max",
        "around LOW-N people",
        "N people",
        "headcount: N",
        "words guests",
    ],
    "venue_styles": ["at {v}", "venue: {v}", "at {v} in {city}", "at {v}"],
    "intents": {
        "inquiry": [
            "Hi, I'm enquiring about DJ hire for our {type} on {date}. It will be {venue_phrase}, {guests}.",
            "Hello, a friend recommended you. We have a {type} {date} {venue_phrase}, {guests}, and need a DJ.",
            "hiya looking to book a dj for a {type} {date} {venue_phrase} {guests}",
        ],
        "availability": [
            "Are you free on {date}? We're hosting a {type} {venue_phrase}, {guests}.",
            "Just checking your availability for {date} - {type}, {venue_phrase}, {guests}.",
            "r u available {date} for a {type}?? {venue_phrase} {guests}",
        ],
        "pricing": [
            "Could you let me know your prices for a {type}? {date}, {venue_phrase}, {guests}.",
            "What would you charge for a {type} on {date}? {venue_phrase}, {guests}.",
            "price for a {type} {date}?? {venue_phrase} {guests}",
        ],
        "change_request": [
            "Hi, unfortunately we need to change the date of our {type} to {date}. Is that okay?",
            "Hello, our numbers have changed - we're now expecting {guests}. Can you update our booking?",
            "Could we change our {type} on {date} to finish at midnight instead of 11?",
        ],
        "complaint": [
            "I'm very disappointed with the DJ at our {type}. He played songs from our do-not-play list.",
            "The DJ turned up late and the sound system failed twice. We expect a refund.",
            "To be honest we were not happy with the service. Requests were ignored all night.",
        ],
        "thanks": [
            "Thank you so much for DJing our {type}, everyone had an amazing time!",
            "Just wanted to say thanks for last night, you were brilliant.",
            "Many thanks for a fantastic night at our {type} 👏",
        ],
        "other": [
            "Hi, do you have public liability insurance? The venue needs a copy.",
            "Please can you send me a receipt for the deposit?",
            "We are a lighting company - would you like to partner with us?",
        ],
    },
}
SIGNATURES["blind"] = [
    "\n\nMany thanks,\n{name}",
    "\n\nKind regards\n{name} {surname}\nTel: 07700 900123",
    "\n\n-- \n{name}\nSent on the go",
    "\n\nSent from my iPad",
    "\n\nBest wishes, {name}",
    "",
]

NAMES = ["Jane", "Marcus", "Priya", "Tom", "Alicia", "Deb", "Carlos", "Mei", "Sam", "Olu"]
SURNAMES = ["Doe", "Okafor", "Patel", "Nguyen", "Smith", "Garcia", "Kowalski", "Brown"]
CITIES = ["Boston", "Austin", "Denver", "Portland"]


class Generator:
    def __init__(self, family: str, seed: int):
        self.family = FAMILIES[family]
        self.name = family
        self.random = random.Random(seed)

    def pick(self, items):
        return self.random.choice(items)

    # --- facts -------------------------------------------------------------------------------------------------
    def render_date(self, day: dt.date, received: dt.date) -> str | None:
        """`day` in one of the family's styles, or None when the style cannot name that day unambiguously."""
        style = self.pick(self.family["date_styles"])
        month, mon = MONTHS[day.month - 1], MONTHS[day.month - 1][:3]
        weekday = WEEKDAYS[day.weekday()]
        if self.random.random() < 0.25:
            month = self.family["month_typos"].get(month, month)
            weekday = self.family["day_typos"].get(weekday, weekday)
        within_year = (day - received).days < 365
        styles = {
            "Month D": f"{month} {day.day}",
            "Month Dth": f"{month} {ordinal(day.day)}",
            "D Month": f"{day.day} {month}",
            "Dth of Month": f"the {ordinal(day.day)} of {month}",
            "M/D": f"{day.month}/{day.day}",
            "M/D/YYYY": f"{day.month}/{day.day}/{day.year}",
            "Weekday, Month D": f"{weekday}, {month} {day.day}",
            "Month D, YYYY": f"{month} {day.day}, {day.year}",
            "Sat Dth Month": f"{weekday[:3]} {ordinal(day.day)} {month}",
            "Mon D": f"{mon} {day.day}",
            "Weekday Month Dth": f"{weekday} {month} {ordinal(day.day)}",
            "Dth Month YYYY": f"{ordinal(day.day)} {month} {day.year}",
            "DD/MM/YYYY": f"{day.day:02d}/{day.month:02d}/{day.year}" if day.day > 12 else None,
            "YYYY-MM-DD": day.isoformat(),
            "Month the Dth": f"{month} the {ordinal(day.day)}",
            "Mon. Dth": f"{mon}. {ordinal(day.day)}",
            "M/D/YY": f"{day.month}/{day.day}/{day.year % 100:02d}",
            "Weekday Dth Month": f"{weekday} {ordinal(day.day)} {month}",
        }
        if style in styles:
            text = styles[style]
            needs_year = "YYYY" not in style and "YY" not in style and style != "YYYY-MM-DD"
            return text if (within_year or not needs_year) else None
        days_ahead = (day - received).days
        earlier = [received + dt.timedelta(days=n) for n in range(1, days_ahead)]
        if style == "the Dth":
            return None if any(other.day == day.day for other in earlier) else f"the {ordinal(day.day)}"
        if style in ("next Weekday", "this Weekday"):  # "this Sunday" on a Sunday is that day
            return f"{style.split()[0]} {weekday}" if 1 <= days_ahead <= (7 if style[0] == "n" else 6) else None
        if style == "Weekday the Dth":
            same = [other for other in earlier if other.day == day.day and other.weekday() == day.weekday()]
            return None if same else f"{weekday} the {ordinal(day.day)}"
        return None

    def event_day(self, received: dt.date) -> tuple[dt.date, str]:
        for _ in range(50):
            near = self.random.random() < 0.2
            day = received + dt.timedelta(days=self.random.randint(1, 8) if near else self.random.randint(9, 360))
            text = self.render_date(day, received)
            if text:
                return day, text
        return day, day.isoformat()

    def guests(self) -> tuple[int, str]:
        style = self.pick(self.family["guest_styles"])
        n = self.pick([25, 40, 60, 75, 80, 100, 120, 150, 175, 200, 250, 300])
        low = max(10, n - self.pick([20, 30, 50]))
        if style == "words guests":
            n = self.pick([50, 100, 150, 200, 75])
            words = {50: "fifty", 100: "a hundred", 150: "a hundred and fifty", 200: "two hundred", 75: "seventy-five"}
            return n, f"{words[n]} guests"
        if style == "a couple hundred guests":
            return 200, "a couple hundred guests"
        text = style.replace("LOW", str(low)).replace("N", str(n))
        return n, text

    def venue(self, sms: bool) -> tuple[str, str]:
        style = self.pick(self.family["venue_styles"])
        if sms and self.random.random() < 0.5:
            name = self.pick(self.family["lower_venues"])
            return name.title(), f"at the {name}"
        name = self.pick(self.family["venues"])
        phrase = style.format(v=name, city=self.pick(CITIES))
        return name, phrase

    # --- messages ----------------------------------------------------------------------------------------------
    def case(self) -> Case:
        received_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            minutes=self.random.randint(0, 2 * 365 * 1440)
        )
        received = received_at.date()
        intent = self.pick(list(self.family["intents"]))
        template_index = self.random.randrange(3)
        template = self.family["intents"][intent][template_index]
        sms = template[0].islower() or "r u" in template or "yo do u" in template
        kind = self.pick(list(self.family["types"]))
        type_text = self.pick(self.family["types"][kind])
        day, date_text = self.event_day(received)
        count, guests_text = self.guests()
        venue_name, venue_phrase = self.venue(sms)
        uses = {key: "{" + key + "}" in template for key in ("type", "date", "guests", "venue", "venue_phrase")}
        if "getting married" in template or "fiance" in template:
            kind, uses["type"] = "wedding", True
        body = template.format(
            type=type_text, date=date_text, guests=guests_text, venue=venue_name, venue_phrase=venue_phrase
        )
        truth_type = kind if uses["type"] else None
        truth_date = day.isoformat() if uses["date"] else None
        truth_guests = count if uses["guests"] else None
        truth_venue = venue_name if (uses["venue"] or uses["venue_phrase"]) else None
        if "on Saturday" in template:  # a thanks for last Saturday's party
            truth_date = (received - dt.timedelta(days=(received.weekday() - 5 - 1) % 7 + 1)).isoformat()
        if "last night" in template:
            truth_date = (received - dt.timedelta(days=1)).isoformat()  # a past event named as such
        body = self.add_typos(body)
        if truth_date and self.random.random() < 0.25:
            body = self.add_distractor_date(body, received, day)
        name = self.pick(NAMES)
        body += self.pick(SIGNATURES[self.name]).format(name=name, surname=self.pick(SURNAMES))
        subject = self.subject(intent, type_text if uses["type"] else "")
        body, subject = self.wrap(body, subject, received_at, sms)
        sender = f"{name} {self.pick(SURNAMES)} <{name.lower()}@example.com>" if not sms else "+15550001111"
        message = {"from": sender, "subject": subject, "body": body, "received_at": received_at.isoformat()}
        return Case(message, intent, truth_date, truth_type, truth_guests, truth_venue)

    def add_typos(self, body: str) -> str:
        for word, typo in self.family["word_typos"].items():
            if word in body and self.random.random() < 0.3:
                body = body.replace(word, typo, 1)
        return body

    def add_distractor_date(self, body: str, received: dt.date, day: dt.date) -> str:
        other = received + dt.timedelta(days=self.random.randint(1, 6))
        if other == day:
            return body
        month = MONTHS[other.month - 1]
        lines = {
            "tuning": [f"I'm away until {month} {other.day} so no rush. ", f"Please reply by {month} {other.day}. "],
            "held_out": [
                f"(I'm out of office till the {ordinal(other.day)} of {month}.) ",
                f"Would be great to hear back before {month} {other.day}! ",
            ],
            "fresh": [
                f"Heads up, I'm traveling until {month} {other.day}. ",
                f"Need an answer by {month} {other.day}. ",
            ],
            "final": [f"I'm back in the office on {month} {other.day}. ", f"Please respond by {month} {other.day}. "],
            "blind": [f"We're on holiday until {month} {other.day}. ", f"Could you reply before {month} {other.day}? "],
        }[self.name]
        return self.pick(lines) + body

    def subject(self, intent: str, type_text: str) -> str:
        options = {
            "tuning": {
                "inquiry": "DJ inquiry",
                "availability": "Availability?",
                "pricing": "Pricing",
                "change_request": "Change to our booking",
                "complaint": "Very disappointed",
                "thanks": "THANK YOU",
                "other": "Question",
            },
            "held_out": {
                "inquiry": "Looking for a DJ",
                "availability": "Is the date open?",
                "pricing": "Rates",
                "change_request": "Booking update",
                "complaint": "Feedback on our event",
                "thanks": "Wow!",
                "other": "Hello",
            },
            "fresh": {
                "inquiry": "DJ needed",
                "availability": "Date check",
                "pricing": "Packages?",
                "change_request": "Re: our booking",
                "complaint": "Not happy",
                "thanks": "Thank you!!",
                "other": "Quick question",
            },
            "final": {
                "inquiry": "Event inquiry",
                "availability": "Are you free?",
                "pricing": "Price?",
                "change_request": "Our event",
                "complaint": "About our event",
                "thanks": "Thanks!",
                "other": "Question for you",
            },
            "blind": {
                "inquiry": "DJ enquiry",
                "availability": "Are you available?",
                "pricing": "Quote please",
                "change_request": "Booking change",
                "complaint": "Complaint",
                "thanks": "Thanks",
                "other": "Query",
            },
        }[self.name]
        return options[intent] if self.random.random() < 0.7 else ""

    def wrap(self, body: str, subject: str, received_at: dt.datetime, sms: bool) -> tuple[str, str]:
        roll = self.random.random()
        if sms:
            return (body.upper() if roll < 0.2 else body), ""
        earlier = received_at - dt.timedelta(days=3)
        stamp = f"{WEEKDAYS[earlier.weekday()][:3]}, {MONTHS[earlier.month - 1][:3]} {earlier.day}, {earlier.year}"
        if roll < 0.15:
            if self.name == "tuning":
                thread = (
                    f"\n\nOn {stamp} at 9:14 AM DJ Dana <dana@djbiz.example> wrote:\n> Thanks for reaching out!\n> "
                )
                thread += "I have the 21st open.\n"
            elif self.name == "fresh":
                thread = (
                    f"\n\n-------- Original message --------\nFrom: DJ Dana <dana@djbiz.example>\nDate: {stamp}\n"
                    "Subject: your event\n\nI can hold the 21st for you until Friday."
                )
            else:
                thread = (
                    f"\n\n-----Original Message-----\nFrom: DJ Dana <dana@djbiz.example>\nSent: {stamp} 9:14 AM\n"
                    "To: you\nSubject: Re: your event\n\nWe have openings on the 21st and 28th of next month."
                )
            return body + thread, f"Re: {subject}" if subject else "Re: your message"
        if roll < 0.3:
            if self.name == "tuning":
                head = "FYI see below\n\n---------- Forwarded message ---------\n"
                head += f"From: Pat <pat@example.com>\nDate: {stamp}\n"
            else:
                head = "Can you help with this one?\n\nBegin forwarded message:\n\n"
                head += f"From: Pat <pat@example.com>\nSent: {stamp}\n"
            head += f"Subject: {subject or 'DJ'}\nTo: info@djbiz.example\n\n"
            return head + body, f"Fwd: {subject}"
        if roll < 0.4:
            paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line)
            return f'<html><body><div dir="ltr">{paragraphs}</div></body></html>', subject
        return body, subject


def generate(family: str, seed: int, count: int) -> list[Case]:
    generator = Generator(family, seed)
    return [generator.case() for _ in range(count)]
