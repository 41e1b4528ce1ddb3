import datetime as dt

from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from djbiz.schedules import declared_schedules
from events.models import Event
from events.tasks import complete_finished_events
from tests.factories import EventFactory


def test_booked_events_that_ended_become_completed_and_a_rerun_changes_nothing(db):
    yesterday = timezone.localdate() - dt.timedelta(days=2)
    ended = EventFactory(date=yesterday, status="booked")
    still_inquiry = EventFactory(date=yesterday, status="inquiry")
    upcoming = EventFactory(status="booked")
    assert complete_finished_events() == 1
    assert complete_finished_events() == 0
    statuses = dict(Event.objects.values_list("pk", "status"))
    assert statuses == {ended.pk: "completed", still_inquiry.pk: "inquiry", upcoming.pk: "booked"}


def test_setup_schedules_declares_the_hourly_task_once(db):
    call_command("setup_schedules")
    call_command("setup_schedules")
    schedule = Schedule.objects.get(name="djbiz:events.complete_finished")
    assert (schedule.func, schedule.schedule_type) == ("events.tasks.complete_finished_events", "H")
    # and every other declared schedule (the round closer, the outbox sweep, the inbound triage...), each once
    names = list(Schedule.objects.filter(name__startswith="djbiz:").values_list("name", flat=True))
    assert sorted(names) == sorted(spec.name for spec in declared_schedules())
    assert "djbiz:comms.triage_inbound" in names
