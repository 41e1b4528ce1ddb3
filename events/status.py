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
