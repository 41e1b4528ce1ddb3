"""Background work of the events app (django-q2). Tasks take ids or nothing, and are safe to run twice."""

import logging

from django.utils import timezone

from djbiz.schedules import ScheduleSpec
from events.services import events_complete_finished

logger = logging.getLogger(__name__)

SCHEDULES = [
    ScheduleSpec(
        name="djbiz:events.complete_finished", func="events.tasks.complete_finished_events", schedule_type="H"
    ),
]


def complete_finished_events() -> int:
    """Booked events whose end has passed become completed."""
    count = events_complete_finished(now=timezone.now())
    logger.info("completed finished events", extra={"count": count})
    return count
