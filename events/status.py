"""The event status pipeline: the one place that says which transitions are allowed."""

from django.db import models


class EventStatus(models.TextChoices):
    INQUIRY = "inquiry", "Inquiry"
    QUOTED = "quoted", "Quoted"
    BOOKED = "booked", "Booked"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.INQUIRY: frozenset({EventStatus.QUOTED, EventStatus.BOOKED, EventStatus.CANCELLED}),
    EventStatus.QUOTED: frozenset({EventStatus.INQUIRY, EventStatus.BOOKED, EventStatus.CANCELLED}),
    EventStatus.BOOKED: frozenset({EventStatus.COMPLETED, EventStatus.CANCELLED}),
    EventStatus.COMPLETED: frozenset(),
    EventStatus.CANCELLED: frozenset({EventStatus.INQUIRY}),
}

# Statuses in which the event still blocks the assigned DJs' calendars.
ACTIVE_STATUSES = (EventStatus.INQUIRY, EventStatus.QUOTED, EventStatus.BOOKED)


def can_transition(current: str, new: str) -> bool:
    return new in ALLOWED_TRANSITIONS[current]


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    UP_NEXT = "up_next", "Up next"
    PLAYING = "playing", "Playing"
    PLAYED = "played", "Played"
    DECLINED = "declined", "Declined"
    SKIPPED = "skipped", "Skipped"


# Requests still waiting for (or getting) their moment: a new request for the same song joins them as a vote.
OPEN_REQUEST_STATUSES = (RequestStatus.REQUESTED, RequestStatus.ACCEPTED, RequestStatus.UP_NEXT, RequestStatus.PLAYING)

REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.REQUESTED: frozenset(
        {RequestStatus.ACCEPTED, RequestStatus.UP_NEXT, RequestStatus.PLAYING, RequestStatus.DECLINED}
    ),
    RequestStatus.ACCEPTED: frozenset(
        {RequestStatus.UP_NEXT, RequestStatus.PLAYING, RequestStatus.DECLINED, RequestStatus.SKIPPED}
    ),
    RequestStatus.UP_NEXT: frozenset({RequestStatus.PLAYING, RequestStatus.ACCEPTED, RequestStatus.SKIPPED}),
    RequestStatus.PLAYING: frozenset({RequestStatus.PLAYED, RequestStatus.SKIPPED}),
    RequestStatus.PLAYED: frozenset(),
    RequestStatus.DECLINED: frozenset({RequestStatus.REQUESTED}),
    RequestStatus.SKIPPED: frozenset({RequestStatus.ACCEPTED}),
}


def request_statuses_leading_to(new: str) -> list[str]:
    """The statuses from which a request may move to `new` (for a conditional update that claims it)."""
    return [current for current, allowed in REQUEST_TRANSITIONS.items() if new in allowed]


class BidOutcome(models.TextChoices):
    OPEN = "open", "Round open"
    WON = "won", "Won"
    LOST = "lost", "Outbid"


class BidPayment(models.TextChoices):
    PLEDGE = "pledge", "Pledge (pay at the booth)"
    PAID_AT_BOOTH = "paid_at_booth", "Paid at the booth"
    REQUIRES_PAYMENT = "requires_payment", "Waiting for the card"
    AUTHORIZED = "authorized", "Card authorized"
    CAPTURED = "captured", "Charged"
    CANCELLED = "cancelled", "Authorization released"
    FAILED = "failed", "Payment failed"
    REFUNDED = "refunded", "Refunded"
