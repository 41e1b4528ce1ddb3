"""Follow-up sequences: started and stopped by the event's status, each step sent once at its time, steps
already past when the event entered the sequence skipped, opted-out clients not messaged, and the hook
billing uses for payment reminders."""

import datetime as dt

import pytest
from django.utils import timezone

from comms.models import MessageTemplate, OutboxMessage, Sequence, SequenceEnrollment, SequenceStep
from comms.services.automations import (
    automation_start,
    automation_stop,
    automations_run_due,
    automations_sync_event,
)
from comms.services.chat import chat_post
from comms.services.consent import opt_out_record
from comms.services.outbox import message_queue
from tests.factories import ClientFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _template(slug: str) -> MessageTemplate:
    return MessageTemplate.objects.create(
        name=slug,
        slug=slug,
        channel="email",
        subject=f"{slug}: {{{{ event.title }}}}",
        text_body="Hi {{ client.first_name }}",
    )


def _sequence(trigger: str, *steps: tuple[str, int, str]) -> Sequence:
    sequence = Sequence.objects.create(name=trigger, trigger=trigger)
    for anchor, offset, slug in steps:
        SequenceStep.objects.create(sequence=sequence, anchor=anchor, offset_days=offset, template=_template(slug))
    return sequence


def _set_status(event, *statuses, capture):
    for status in statuses:
        event.status = status
        with capture(execute=True):
            event.save()


def _subjects() -> list[str]:
    return sorted(OutboxMessage.objects.values_list("subject", flat=True))


@pytest.fixture
def event(django_capture_on_commit_callbacks):
    client = ClientFactory(name="Alice Adams", email="alice@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        return EventFactory(client=client, title="Party", date=timezone.localdate() + dt.timedelta(days=90))


def test_inquiry_unanswered_after_n_days_and_stopped_by_a_quote(django_capture_on_commit_callbacks):
    _sequence("inquiry", ("trigger", 2, "nudge"), ("trigger", 5, "last-nudge"))
    client = ClientFactory(email="bob@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(client=client, title="Party")  # a new inquiry enters the sequence
    enrollment = SequenceEnrollment.objects.get()
    start = enrollment.started_at
    assert automations_run_due(now=start + DAY)["sent"] == 0
    assert automations_run_due(now=start + 2 * DAY)["sent"] == 1
    assert automations_run_due(now=start + 2 * DAY + dt.timedelta(minutes=5))["sent"] == 0  # run twice: sent once
    assert _subjects() == ["nudge: Party"]
    assert OutboxMessage.objects.get().purpose == "marketing" and OutboxMessage.objects.get().event == event

    _set_status(event, "quoted", capture=django_capture_on_commit_callbacks)
    enrollment.refresh_from_db()
    assert enrollment.stopped_at is not None and "quoted" in enrollment.stop_reason
    assert automations_run_due(now=start + 10 * DAY)["sent"] == 0
    assert _subjects() == ["nudge: Party"]


def test_planning_reminders_before_the_event_and_past_ones_skipped(event, django_capture_on_commit_callbacks):
    _sequence("booked", ("event_start", -60, "t-60"), ("event_start", -30, "t-30"), ("event_start", -7, "t-7"))
    # Booked 45 days before the party (the factory's event is 90 days out; booking is "now" minus 45 days).
    _set_status(event, "booked", capture=django_capture_on_commit_callbacks)
    booked_at = event.starts_at - 45 * DAY
    SequenceEnrollment.objects.update(started_at=booked_at)

    counts = automations_run_due(now=booked_at + dt.timedelta(hours=1))
    assert counts == {"sent": 0, "skipped": 1, "stopped": 0}  # T−60 was already past
    automations_run_due(now=event.starts_at - 31 * DAY)
    assert _subjects() == []
    automations_run_due(now=event.starts_at - 30 * DAY)
    assert _subjects() == ["t-30: Party"]
    automations_run_due(now=event.starts_at - 7 * DAY)
    automations_run_due(now=event.starts_at - 6 * DAY)
    assert _subjects() == ["t-30: Party", "t-7: Party"]


def test_thank_you_and_survey_the_day_after_and_a_cancellation_stops_everything(
    event, django_capture_on_commit_callbacks
):
    _sequence("booked", ("event_start", -7, "t-7"))
    _sequence("completed", ("event_end", 1, "thanks"), ("event_end", 1, "survey"))
    _set_status(event, "booked", capture=django_capture_on_commit_callbacks)
    _set_status(event, "completed", capture=django_capture_on_commit_callbacks)
    assert SequenceEnrollment.objects.get(sequence__trigger="booked").stopped_at is not None
    SequenceEnrollment.objects.filter(sequence__trigger="completed").update(started_at=event.ends_at)
    automations_run_due(now=event.ends_at + dt.timedelta(hours=23))
    assert _subjects() == []
    automations_run_due(now=event.ends_at + DAY)
    assert _subjects() == ["survey: Party", "thanks: Party"]


def test_cancelled_event_leaves_its_sequences(event, django_capture_on_commit_callbacks):
    _sequence("booked", ("event_start", -7, "t-7"))
    _set_status(event, "booked", "cancelled", capture=django_capture_on_commit_callbacks)
    assert SequenceEnrollment.objects.get().stop_reason == "The event was cancelled."
    assert automations_run_due(now=event.starts_at)["sent"] == 0


def test_a_missed_signal_cannot_send_a_step_of_a_status_the_event_left(event):
    sequence = _sequence("inquiry", ("trigger", 1, "nudge"))
    SequenceEnrollment.objects.create(sequence=sequence, event=event, started_at=timezone.now())
    type(event).objects.filter(pk=event.pk).update(status="booked")  # changed without a save signal
    assert automations_run_due(now=timezone.now() + 2 * DAY) == {"sent": 0, "skipped": 0, "stopped": 1}
    assert not OutboxMessage.objects.exists()


def test_opted_out_client_gets_no_automated_message(event):
    _sequence("inquiry", ("trigger", 0, "hello"))
    automations_sync_event(event_id=event.pk)
    opt_out_record(channel="email", address="alice@example.com", source="link")
    automations_run_due(now=timezone.now() + dt.timedelta(minutes=1))
    assert OutboxMessage.objects.get().status == "suppressed"


def test_inactive_sequence_enrolls_nobody(django_capture_on_commit_callbacks):
    Sequence.objects.create(name="Off", trigger="inquiry", active=False)
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory()
    assert not SequenceEnrollment.objects.exists()


def test_billing_hook_starts_and_stops_payment_reminders(event):
    _sequence("payment_due", ("trigger", 0, "pay"), ("trigger", 3, "pay-again"))
    now = timezone.now()
    assert automation_start(event_id=event.pk, trigger="payment_due", now=now) == 1
    assert automation_start(event_id=event.pk, trigger="payment_due", now=now) == 0  # already running
    automations_run_due(now=now)
    assert _subjects() == ["pay: Party"]
    assert automation_stop(event_id=event.pk, trigger="payment_due", reason="Paid.", now=now) == 1
    automations_run_due(now=now + 5 * DAY)
    assert _subjects() == ["pay: Party"]
    # A new invoice due later restarts it; the step already sent is not sent again.
    automation_start(event_id=event.pk, trigger="payment_due", now=now + 10 * DAY)
    automations_run_due(now=now + 13 * DAY)
    assert _subjects() == ["pay-again: Party", "pay: Party"]


def test_the_default_follow_ups_ship_as_data_switched_off_and_render():
    """The migration seeds the issue's sequences, inactive until the owner has read their wording."""
    from comms.services.templates import sample_context, template_render

    defaults = Sequence.objects.all()
    assert {(s.trigger, s.active) for s in defaults} == {
        ("inquiry", False),
        ("quoted", False),
        ("booked", False),
        ("completed", False),
    }
    planning = Sequence.objects.get(trigger="booked")
    assert sorted(planning.steps.values_list("anchor", "offset_days")) == [
        ("event_start", -60),
        ("event_start", -30),
        ("event_start", -7),
    ]
    thanks = Sequence.objects.get(trigger="completed").steps.get()
    assert (thanks.anchor, thanks.offset_days) == ("event_end", 1)
    rendered = template_render(template=thanks.template, context=sample_context())
    assert "/survey/sample/" in rendered.text and rendered.subject == "Thank you for Sam & Alex's wedding!"
    for step in SequenceStep.objects.select_related("template"):
        assert template_render(template=step.template, context=sample_context()).text


def test_an_inquiry_we_answered_gets_no_nudge(django_capture_on_commit_callbacks):
    _sequence("inquiry", ("trigger", 2, "nudge"))
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(client=ClientFactory(email="dan@example.com"), title="Party")
        other = EventFactory(client=ClientFactory(email="eve@example.com"), title="Other")
    message_queue(channel="email", to="dan@example.com", subject="Re: your date", body="We are free!", event=event)
    counts = automations_run_due(now=timezone.now() + 3 * DAY)
    assert counts == {"sent": 1, "skipped": 0, "stopped": 1}
    assert SequenceEnrollment.objects.get(event=event).stop_reason == "The inquiry was answered."
    assert OutboxMessage.objects.get(purpose="marketing").event == other


def test_an_inquiry_answered_in_the_portal_chat_gets_no_nudge(django_capture_on_commit_callbacks, staff_dj):
    _sequence("inquiry", ("trigger", 2, "nudge"))
    client = ClientFactory(email="fay@example.com", user=UserFactory(email="fay@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(client=client, title="Party")
    chat_post(client=client, author=staff_dj, body="Happy to help: the date is free.")
    assert automations_run_due(now=timezone.now() + 3 * DAY) == {"sent": 0, "skipped": 0, "stopped": 1}
    assert SequenceEnrollment.objects.get(event=event).stop_reason == "The inquiry was answered."
