"""Background work of the events app (django-q2). Tasks take ids or nothing, and are safe to run twice."""

import logging

from django.utils import timezone

from djbiz.schedules import ScheduleSpec
from events.services import events_complete_finished, rounds_close_due

logger = logging.getLogger(__name__)

SCHEDULES = [
    ScheduleSpec(
        name="djbiz:events.complete_finished", func="events.tasks.complete_finished_events", schedule_type="H"
    ),
    # The scheduler wakes about every 30 s and runs this at most once a minute; it closes every round due by then.
    ScheduleSpec(name="djbiz:events.close_rounds", func="events.tasks.close_due_rounds", schedule_type="I", minutes=1),
]


def complete_finished_events() -> int:
    """Booked events whose end has passed become completed."""
    count = events_complete_finished(now=timezone.now())
    logger.info("completed finished events", extra={"count": count})
    return count


def close_due_rounds() -> int:
    """Close every bidding round, of every event, that has ended (winner picked, next round started)."""
    count = rounds_close_due(now=timezone.now())
    if count:
        logger.info("closed bidding rounds", extra={"count": count})
    return count
