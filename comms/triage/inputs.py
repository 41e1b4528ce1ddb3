"""Messages from the JSON that `triage_messages --json FILE` reads: a list of
{"from", "subject", "body", "received_at"} objects. Anything else is a TriageInputError naming the item."""

import datetime as dt
import json

from comms.triage.pipeline import InboundMessage
from djbiz.errors import DomainError

FIELDS = ("from", "subject", "body", "received_at")


class TriageInputError(DomainError):
    code = "triage_input"


def _received_at(value: object, item: int) -> dt.datetime:
    if not isinstance(value, str):
        raise TriageInputError(f"item {item}: 'received_at' must be an ISO 8601 date-time string")
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise TriageInputError(f"item {item}: 'received_at' {value!r} is not an ISO 8601 date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # no offset given: UTC


def messages_from_json(text: str) -> list[InboundMessage]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TriageInputError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(data, list):
        raise TriageInputError(f"expected a JSON list of messages, got {type(data).__name__}")
    messages = []
    for item, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise TriageInputError(f"item {item}: expected an object with {', '.join(FIELDS)}")
        missing = [field for field in FIELDS if field not in entry]
        if missing:
            raise TriageInputError(f"item {item}: missing {', '.join(repr(field) for field in missing)}")
        for field in ("from", "subject", "body"):
            if not isinstance(entry[field], str):
                raise TriageInputError(f"item {item}: {field!r} must be a string")
        messages.append(
            InboundMessage(
                sender=entry["from"],
                subject=entry["subject"],
                body=entry["body"],
                received_at=_received_at(entry["received_at"], item),
            )
        )
    return messages
