"""The drafted reply: a short, friendly template per intent filled with the facts found, asking for the ones
that are missing. Staff edit it before it goes out; an LLM may polish it.

`availability` (the calendar's answer for the date, when the caller has a calendar) and `price_note` (a
sentence about packages and prices) are optional: without them the draft promises to check and to send a
quote. The sign-off names the business when given one and is neutral otherwise."""

import datetime as dt
from dataclasses import dataclass

EVENT_WORDS = {
    "wedding": "wedding",
    "corporate": "corporate event",
    "birthday": "birthday party",
    "school": "school event",
    "club": "club night",
    "private_party": "party",
    "other": "event",
}


@dataclass(frozen=True)
class Facts:
    event_date: dt.date | None
    event_type: str | None
    guest_count: int | None
    venue: str | None
    stated_weekday: int | None = None  # the weekday the sender wrote beside the date, 0 = Monday


def format_day(day: dt.date, *, day_first: bool = False) -> str:
    """ "Saturday, June 14, 2027" (US) or "Saturday 14 June 2027"."""
    if day_first:
        return f"{day:%A} {day.day} {day:%B %Y}"
    return f"{day:%A, %B} {day.day}, {day.year}"


def _event_phrase(facts: Facts, *, day_first: bool) -> str:
    phrase = f"your {EVENT_WORDS.get(facts.event_type or 'other', 'event')}"
    if facts.event_date:
        phrase += f" on {format_day(facts.event_date, day_first=day_first)}"
    if facts.venue:
        phrase += f" at {facts.venue}"
    if facts.guest_count:
        phrase += f" for {facts.guest_count} guests"
    return phrase


def _missing_question(facts: Facts, *, wanted: tuple[str, ...] = ("date", "venue", "guests")) -> str:
    missing = [
        label
        for key, label in (
            ("date", "the date"),
            ("type", "what kind of event it is"),
            ("venue", "the venue"),
            ("guests", "roughly how many guests you expect"),
        )
        if key in wanted
        and not {"date": facts.event_date, "type": facts.event_type, "venue": facts.venue, "guests": facts.guest_count}[
            key
        ]
    ]
    if not missing:
        return ""
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"Could you tell me {listed}?"


def _weekday_question(facts: Facts, *, day_first: bool) -> str:
    """ "Saturday June 14" when June 14 is a Monday: ask rather than guess which one they meant."""
    if facts.event_date is None or facts.stated_weekday in (None, facts.event_date.weekday()):
        return ""
    day = facts.event_date
    shift = (facts.stated_weekday - day.weekday() + 3) % 7 - 3  # the nearest day with the weekday they wrote
    written = format_day(day, day_first=day_first).split(" ", 1)[1].lstrip()
    return (
        f"Just to check: {written} is a {day:%A}. "
        f"Did you mean {format_day(day + dt.timedelta(days=shift), day_first=day_first)}?"
    )


def _availability_sentence(facts: Facts, availability: bool | None, *, day_first: bool) -> str:
    if not facts.event_date:
        return ""
    day = format_day(facts.event_date, day_first=day_first)
    if availability is True:
        return f"Good news: {day} is still open."
    if availability is False:
        return f"I'm sorry, {day} is already booked; if your date can move, I'd be glad to suggest another."
    return f"I'm checking my calendar for {day} and will confirm shortly."


def _price_sentence(price_note: str | None, facts: Facts) -> str:
    return price_note or f"I'll send you my packages and a quote{' for your date' if facts.event_date else ''}."


def draft_reply(
    *,
    intent: str,
    facts: Facts,
    name: str,
    business_name: str | None = None,
    day_first: bool = False,
    availability: bool | None = None,
    price_note: str | None = None,
) -> str:
    event = _event_phrase(facts, day_first=day_first)
    if intent == "complaint":
        lines = [
            "I'm very sorry to hear this, and thank you for telling me directly.",
            "I'd like to understand exactly what happened and put it right. Could we talk by phone this week? "
            "Let me know a time that suits you.",
        ]
    elif intent == "thanks":
        lines = [
            "Thank you so much for your kind message! It was a pleasure to be part of "
            + (f"your {EVENT_WORDS[facts.event_type]}." if facts.event_type else "it."),
            "If you have a moment, a short review would mean a lot to us.",
        ]
    elif intent == "change_request":
        lines = [
            f"Thanks for letting me know about the change to your {EVENT_WORDS.get(facts.event_type or '', 'event')}.",
            _availability_sentence(facts, availability, day_first=day_first),
            "Once it's confirmed I'll update your booking."
            if facts.event_date
            else "I'll update your booking and confirm the details with you shortly.",
        ]
    elif intent == "availability":
        lines = [
            f"Thank you for asking about {event}.",
            _availability_sentence(facts, availability, day_first=day_first) or "Which date do you have in mind?",
            _missing_question(facts, wanted=("type", "venue", "guests")),
        ]
    elif intent == "pricing":
        lines = [
            f"Thank you for asking about prices for {event}.",
            _price_sentence(price_note, facts),
            _missing_question(facts),
        ]
    elif intent == "inquiry":
        lines = [
            f"Thank you for getting in touch about {event}!",
            _availability_sentence(facts, availability, day_first=day_first),
            _price_sentence(price_note, facts),
            _missing_question(facts),
        ]
    else:
        lines = ["Thanks for your message. I'll get back to you shortly."]
    if intent in ("inquiry", "availability", "pricing", "change_request"):
        lines.insert(1, _weekday_question(facts, day_first=day_first))
    body = " ".join(line for line in lines if line)
    sign_off = f"Best wishes,\n{business_name}" if business_name else "Best wishes"
    return f"Hi {name or 'there'},\n\n{body}\n\n{sign_off}"
