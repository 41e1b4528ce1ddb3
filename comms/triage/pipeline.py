"""One inbound message in, its triage out: intent, sentiment, urgency, the event's facts and a drafted reply.

Pure: no database, no network, no clock (dates resolve against the message's `received_at`). The every-minute
task and `manage.py triage_messages` both call `triage()`; the task passes what only the database knows (the
business's name, the calendar's answer for the date, a price note) and the date order of the business's locale.

`received_at`'s own calendar date is "today" for "tomorrow", "next Saturday" and "the 14th": pass it in the
business's time zone (`timezone.localtime(received_at, tz)`)."""

import datetime as dt
import re
from dataclasses import asdict, dataclass

from comms.triage import drafts, extract_dates, extract_fields, intent, sentiment
from comms.triage.cleaning import clean_message

MAX_CHARS = 10_000  # of the cleaned text (quotes and signatures gone); an inquiry is said well before that
CONTRACT_KEYS = ("intent", "sentiment", "urgency", "event_date", "event_type", "guest_count", "venue", "draft")


@dataclass(frozen=True)
class InboundMessage:
    sender: str  # "Jane Doe <jane@example.com>", an address or a phone number
    subject: str
    body: str
    received_at: dt.datetime


@dataclass(frozen=True)
class Triage:
    intent: str
    sentiment: str
    urgency: str
    event_date: dt.date | None
    event_type: str | None
    guest_count: int | None
    venue: str | None
    draft: str
    compound: float  # VADER's score behind `sentiment`, for sorting an inbox

    def as_contract(self) -> dict:
        """The JSON object `triage_messages` prints: exactly CONTRACT_KEYS, the date as YYYY-MM-DD."""
        values = asdict(self)
        values["event_date"] = self.event_date.isoformat() if self.event_date else None
        return {key: values[key] for key in CONTRACT_KEYS}


_DISPLAY_NAME = re.compile(r"^\s*\"?([^\"<@]+?)\"?\s*<")


def first_name(sender: str, *, signed_name: str = "") -> str:
    """The name to greet: the one under the sign-off, else the first word of the sender's display name."""
    if signed_name:
        return signed_name
    found = _DISPLAY_NAME.match(sender)
    if not found:
        return ""
    name = found.group(1).strip()
    if "," in name:  # "Doe, Jane"
        name = name.split(",", 1)[1].strip()
    first = name.split()[0] if name.split() else ""
    return first.capitalize() if first.isupper() or first.islower() else first


def triage(
    message: InboundMessage,
    *,
    business_name: str | None = None,
    day_first: bool = False,
    availability: bool | None = None,
    price_note: str | None = None,
) -> Triage:
    clean = clean_message(subject=message.subject, body=message.body)
    text = clean.text[:MAX_CHARS]
    received = message.received_at.date()
    compound = sentiment.compound_score(text)
    feeling = sentiment.sentiment_label(compound)
    kind, guests, place = extract_fields.event_type(text), extract_fields.guest_count(text), extract_fields.venue(text)
    mentions_a_date = bool(extract_dates.find_dates(text, received=received, day_first=day_first))
    named = sum(fact is not None for fact in (kind, guests, place))
    wants = intent.classify(text, compound=compound, has_event_facts=named >= 2 or (mentions_a_date and named >= 1))
    mention = extract_dates.event_date_mention(
        text, received=received, day_first=day_first, past=wants in ("thanks", "complaint")
    )
    facts = drafts.Facts(
        event_date=mention.day if mention else None,
        event_type=kind,
        guest_count=guests,
        venue=place,
        stated_weekday=mention.stated_weekday if mention else None,
    )
    draft = drafts.draft_reply(
        intent=wants,
        facts=facts,
        name=first_name(message.sender, signed_name=clean.signed_name),
        business_name=business_name,
        day_first=day_first,
        availability=availability,
        price_note=price_note,
    )
    return Triage(
        intent=wants,
        sentiment=feeling,
        urgency=sentiment.urgency(
            text=text, intent=wants, sentiment=feeling, event_date=facts.event_date, received=received
        ),
        event_date=facts.event_date,
        event_type=facts.event_type,
        guest_count=facts.guest_count,
        venue=facts.venue,
        draft=draft,
        compound=compound,
    )
