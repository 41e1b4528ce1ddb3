"""Follow-up sequences: events enter and leave them as their status changes, and a q2 schedule sends each step
once when it is due.

- **Enrollment.** After an event is saved (comms.receivers, on commit) `automations_sync_event` puts it in the
  active sequences whose trigger is its status and stops its enrollments in the others; a cancelled event leaves
  every sequence. Other apps start and stop their own triggers with `automation_start` / `automation_stop`:
  billing calls `automation_start(event_id=..., trigger=SequenceTrigger.PAYMENT_DUE)` when an invoice falls due
  and `automation_stop(...)` when it is paid — nothing else is needed for payment reminders.
- **Steps.** A step is due at its anchor (the enrollment's start, or the event's start or end) plus
  `offset_days`. A step already past when the event entered the sequence is skipped, not sent late (booked 20
  days before the party: no T−60 and T−30 reminders). `automations_run_due` creates one SequenceStepRun per
  (enrollment, step) under a unique constraint and queues the message with an idempotency key made of the same
  pair: a run repeated, or two at once, sends each step once.
- An inquiry sequence also stops once the business has answered: a transactional message (a reply, a quote)
  to the event or its client, or a message in the client's portal chat, after the event entered the sequence.
- Before sending, the event's status is checked again, so a missed signal cannot send an inquiry reminder to
  an event that is booked by now. A template mentioning `survey_url` gets the event's survey link. Messages are
  marketing: opted-out recipients get none (the outbox suppresses)."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from comms.models import (
    STATUS_TRIGGERS,
    Channel,
    Direction,
    Message,
    MessageChannel,
    OutboxMessage,
    Purpose,
    Sequence,
    SequenceEnrollment,
    SequenceStep,
    SequenceStepRun,
    SequenceTrigger,
    StepAnchor,
)
from comms.services.outbox import OutboxError, message_queue
from comms.services.surveys import survey_for_event, survey_url
from comms.services.templates import TemplateRenderError, message_context, template_render
from comms.status import OutboxStatus
from events.models import Event
from events.status import EventStatus


def automations_sync_event(*, event_id: int, now: datetime | None = None) -> None:
    """Enroll the event in the active sequences of its status; stop its other status-triggered enrollments
    (all of them, whatever the trigger, when it is cancelled)."""
    now = now or timezone.now()
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return
    if event.status == EventStatus.CANCELLED:
        _stop(SequenceEnrollment.objects.filter(event=event), now=now, reason="The event was cancelled.")
        return
    for sequence in Sequence.objects.filter(active=True, trigger=event.status):
        _start(sequence, event, now=now)
    leaving = SequenceEnrollment.objects.filter(event=event, sequence__trigger__in=STATUS_TRIGGERS).exclude(
        sequence__trigger=event.status
    )
    _stop(leaving, now=now, reason=f"The event is now {event.get_status_display().lower()}.")


def automation_start(*, event_id: int, trigger: str, now: datetime | None = None) -> int:
    """Start the active sequences of a trigger another app owns (billing: payment_due) for an event. Returns
    how many enrollments started (restarting a stopped one counts; its sent steps are not sent again)."""
    now = now or timezone.now()
    event = Event.objects.get(pk=event_id)
    return sum(_start(sequence, event, now=now) for sequence in Sequence.objects.filter(active=True, trigger=trigger))


def automation_stop(*, event_id: int, trigger: str, reason: str, now: datetime | None = None) -> int:
    enrollments = SequenceEnrollment.objects.filter(event_id=event_id, sequence__trigger=trigger)
    return _stop(enrollments, now=now or timezone.now(), reason=reason)


def _start(sequence: Sequence, event: Event, *, now: datetime) -> bool:
    try:
        with transaction.atomic():
            SequenceEnrollment.objects.create(sequence=sequence, event=event, started_at=now)
            return True
    except IntegrityError:
        restarted = SequenceEnrollment.objects.filter(sequence=sequence, event=event).exclude(stopped_at=None)
        return bool(restarted.update(started_at=now, stopped_at=None, stop_reason=""))


def _stop(enrollments, *, now: datetime, reason: str) -> int:
    return enrollments.filter(stopped_at=None).update(stopped_at=now, stop_reason=reason[:200])


def step_due_at(*, step: SequenceStep, enrollment: SequenceEnrollment) -> datetime:
    anchors = {
        StepAnchor.TRIGGER: enrollment.started_at,
        StepAnchor.EVENT_START: enrollment.event.starts_at,
        StepAnchor.EVENT_END: enrollment.event.ends_at,
    }
    return anchors[step.anchor] + timedelta(days=step.offset_days)


def automations_run_due(*, now: datetime | None = None) -> dict[str, int]:
    """Send the due steps of every running enrollment (the schedule's body; safe to run twice at once)."""
    now = now or timezone.now()
    counts = {"sent": 0, "skipped": 0, "stopped": 0}
    running = SequenceEnrollment.objects.filter(stopped_at=None, sequence__active=True).select_related(
        "sequence", "event__client", "event__venue"
    )
    for enrollment in running:
        trigger = enrollment.sequence.trigger
        if trigger in STATUS_TRIGGERS and enrollment.event.status != trigger:
            counts["stopped"] += _stop(
                SequenceEnrollment.objects.filter(pk=enrollment.pk), now=now, reason="The event's status changed."
            )
            continue
        if trigger == SequenceTrigger.INQUIRY and _answered(enrollment):
            counts["stopped"] += _stop(
                SequenceEnrollment.objects.filter(pk=enrollment.pk), now=now, reason="The inquiry was answered."
            )
            continue
        done = set(enrollment.step_runs.values_list("step_id", flat=True))
        for step in enrollment.sequence.steps.select_related("template").exclude(pk__in=done):
            due = step_due_at(step=step, enrollment=enrollment)
            if due <= now:
                counts[_run_step(enrollment, step, due=due)] += 1
    return counts


def _answered(enrollment: SequenceEnrollment) -> bool:
    """An inquiry counts as answered once we sent the client a message of our own (a reply, a quote: anything
    transactional about the event or to the client, or a chat message) after it entered the sequence."""
    event = enrollment.event
    replies = OutboxMessage.objects.filter(
        Q(event=event) | Q(client_id=event.client_id, event=None),
        purpose=Purpose.TRANSACTIONAL,
        created_at__gt=enrollment.started_at,
    ).exclude(status__in=(OutboxStatus.FAILED, OutboxStatus.BOUNCED, OutboxStatus.SUPPRESSED))
    chat = Message.objects.filter(
        conversation__client_id=event.client_id,
        direction=Direction.OUT,
        channel=MessageChannel.CHAT,
        received_at__gt=enrollment.started_at,
    )
    return replies.exists() or chat.exists()


def _extra(step: SequenceStep, event: Event) -> dict:
    """A template that links to the survey gets the event's survey link (the survey is made then)."""
    template = step.template
    if "survey_url" in template.text_body + template.html_body + template.sms_body:
        return {"survey_url": survey_url(survey=survey_for_event(event=event))}
    return {}


def _run_step(enrollment: SequenceEnrollment, step: SequenceStep, *, due: datetime) -> str:
    skipped = ""
    if due < enrollment.started_at:
        skipped = "Already past when the event entered the sequence."
    try:
        with transaction.atomic():
            run = SequenceStepRun.objects.create(enrollment=enrollment, step=step, skipped=skipped)
    except IntegrityError:
        return "skipped"  # another run did it
    if skipped:
        return "skipped"
    event = enrollment.event
    channel = step.template.channel
    address = event.client.email if channel == Channel.EMAIL else event.client.phone
    try:
        rendered = template_render(
            template=step.template, context=message_context(event=event, extra=_extra(step, event))
        )
        message = message_queue(
            channel=channel,
            to=address,
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
            purpose=Purpose.MARKETING,
            template=step.template.slug,
            context={"sequence_id": enrollment.sequence_id, "step_id": step.pk, "event_id": event.pk},
            event=event,
            idempotency_key=f"sequence:{enrollment.pk}:{step.pk}",
        )
    except (OutboxError, TemplateRenderError) as error:
        SequenceStepRun.objects.filter(pk=run.pk).update(skipped=str(error)[:200])
        return "skipped"
    SequenceStepRun.objects.filter(pk=run.pk).update(message=message)
    return "sent"
