"""Drafted replies: the facts found go in, the missing ones are asked for, the calendar's answer and a price note
are used when the caller has them, and nothing is signed with a made-up name."""

import datetime as dt

from comms.triage.drafts import Facts, draft_reply
from comms.triage.pipeline import InboundMessage, first_name, triage

RECEIVED = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
WEDDING = Facts(event_date=dt.date(2027, 6, 12), event_type="wedding", guest_count=150, venue="Rosewood Manor")
NOTHING = Facts(event_date=None, event_type=None, guest_count=None, venue=None)


def test_an_inquiry_draft_repeats_the_facts_and_asks_for_nothing_more():
    draft = draft_reply(intent="inquiry", facts=WEDDING, name="Jane")

    assert draft.startswith("Hi Jane,\n\n")
    assert "your wedding on Saturday, June 12, 2027 at Rosewood Manor for 150 guests" in draft
    assert "Could you tell me" not in draft
    assert draft.endswith("\n\nBest wishes")


def test_missing_facts_are_asked_for():
    draft = draft_reply(intent="inquiry", facts=NOTHING, name="")

    assert draft.startswith("Hi there,")
    assert "Could you tell me the date, the venue and roughly how many guests you expect?" in draft


def test_the_calendar_answer_and_a_price_note_are_used_when_given():
    open_day = draft_reply(intent="availability", facts=WEDDING, name="Jane", availability=True)
    booked = draft_reply(intent="availability", facts=WEDDING, name="Jane", availability=False)
    priced = draft_reply(intent="pricing", facts=WEDDING, name="Jane", price_note="Our wedding package is $1,800.")

    assert "Good news: Saturday, June 12, 2027 is still open." in open_day
    assert "Saturday, June 12, 2027 is already booked" in booked
    assert "Our wedding package is $1,800." in priced
    assert "checking my calendar" in draft_reply(intent="availability", facts=WEDDING, name="Jane")


def test_day_first_businesses_get_day_month_dates_and_a_signed_draft():
    draft = draft_reply(intent="inquiry", facts=WEDDING, name="Jane", day_first=True, business_name="Dana Beats")

    assert "Saturday 12 June 2027" in draft
    assert draft.endswith("Best wishes,\nDana Beats")


def test_complaint_and_thanks_drafts_fit_the_message():
    complaint = draft_reply(intent="complaint", facts=NOTHING, name="Sam")
    thanks = draft_reply(intent="thanks", facts=WEDDING, name="Sam")

    assert "sorry" in complaint and "Could we talk by phone" in complaint
    assert "It was a pleasure to be part of your wedding." in thanks


def test_the_greeting_uses_the_signed_name_then_the_display_name():
    assert first_name("JANE DOE <jane@example.com>") == "Jane"
    assert first_name('"Doe, Jane" <jane@example.com>') == "Jane"
    assert first_name("jane@example.com") == ""
    assert first_name("+15551234567") == ""
    signed = triage(
        InboundMessage(
            sender="info@acme.example",
            subject="",
            body="Are you free on June 12 for our office party?\n\nThanks,\nPriya\nAcme Corp",
            received_at=RECEIVED,
        )
    )
    assert signed.draft.startswith("Hi Priya,")


def test_a_weekday_that_does_not_match_the_date_is_asked_about():
    result = triage(
        InboundMessage(
            sender="Jane <jane@example.com>",
            subject="",
            body="Are you free Saturday June 14th for our wedding?",
            received_at=RECEIVED,
        )
    )

    assert result.event_date == dt.date(2027, 6, 14)  # the date as written; June 14, 2027 is a Monday
    assert "Just to check: June 14, 2027 is a Monday. Did you mean Saturday, June 12, 2027?" in result.draft
    matching = draft_reply(intent="availability", facts=WEDDING, name="Jane")
    assert "Just to check" not in matching
