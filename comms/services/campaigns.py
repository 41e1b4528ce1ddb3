"""Campaigns: an e-mail or SMS to a segment of clients (or of open leads), sent in throttled batches by a q2 task.

Staff schedule a campaign (or send it now); the every-minute sweep starts it when due (`scheduled` → `sending`).
The first batch resolves the segment at that moment into CampaignRecipient rows (one per address, opted-out
addresses left out); each batch claims the campaign by moving `next_batch_at` forward with one conditional
UPDATE (a second task at the same time finds nothing to claim), queues up to CAMPAIGN_BATCH_SIZE marketing
messages in the outbox, and schedules itself again after CAMPAIGN_BATCH_PAUSE_SECONDS. A recipient gets one
message per campaign: the row is unique per (campaign, address) and the outbox idempotency key is made from
it, so a batch that runs twice queues nothing new. The sweep also re-enqueues a campaign whose next batch is
overdue (a lost hand-over). Nothing waits in a task: no timeouts however large the segment."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from comms.models import (
    OPEN_LEAD_STATUSES,
    Campaign,
    CampaignRecipient,
    CampaignSegment,
    CampaignStatus,
    Channel,
    Lead,
    OptOut,
    Purpose,
    normalize_address,
)
from comms.services.consent import opted_out
from comms.services.outbox import OutboxError, message_queue
from comms.services.templates import TemplateRenderError, message_context, sample_context, template_render
from comms.status import HANDED_OVER, OutboxStatus
from djbiz.errors import DomainError
from events.models import Client
from events.status import EventStatus

BATCH_TASK = "comms.tasks.send_campaign_batch"
C = CampaignStatus


class CampaignError(DomainError):
    code = "invalid_campaign"


# --- the segment ------------------------------------------------------------------------------------------------


def segment_clients(*, campaign: Campaign, now: datetime):
    """The clients in the campaign's segment now (cancelled events do not count)."""
    events = Q(events__status__in=[s for s in EventStatus.values if s != EventStatus.CANCELLED])
    if campaign.event_type:
        events &= Q(events__event_type=campaign.event_type)
    if campaign.segment == CampaignSegment.PAST_CLIENTS:
        events &= Q(events__ends_at__lt=now)
    if campaign.segment == CampaignSegment.ALL_CLIENTS and not campaign.event_type:
        return Client.objects.all()
    return Client.objects.filter(events).distinct()


def segment_leads(*, campaign: Campaign):
    """The open leads (new or contacted; won and lost ones are left out), of the campaign's event type if it has
    one."""
    leads = Lead.objects.filter(status__in=OPEN_LEAD_STATUSES)
    return leads.filter(event_type=campaign.event_type) if campaign.event_type else leads


def segment_recipients(*, campaign: Campaign, now: datetime) -> dict[str, Client | Lead]:
    """{address: client or lead} for the channel of the campaign: those without a usable address, and opted-out
    addresses, are left out; an address shared by two clients (or two leads) gets one message."""
    channel = campaign.channel
    opted = set(OptOut.objects.filter(channel=channel).values_list("address", flat=True))
    if campaign.segment == CampaignSegment.OPEN_LEADS:
        people = segment_leads(campaign=campaign)
    else:
        people = segment_clients(campaign=campaign, now=now)
    recipients: dict[str, Client | Lead] = {}
    for person in people.order_by("pk"):
        raw = person.email if channel == Channel.EMAIL else person.phone
        if not raw.strip():
            continue
        address = normalize_address(channel, raw)
        if channel == Channel.SMS and not address.startswith("+"):
            continue  # not in international form: the outbox would refuse it
        if address not in opted:
            recipients.setdefault(address, person)
    return recipients


# --- staff actions ------------------------------------------------------------------------------------------------


def campaign_schedule(*, campaign_id: int, at: datetime | None = None) -> Campaign:
    """Schedule a draft (or re-schedule a scheduled) campaign; `at` None or past: it starts within the minute,
    and right away after commit."""
    now = timezone.now()
    at = max(at or now, now)
    campaign = Campaign.objects.select_related("template").get(pk=campaign_id)
    campaign.full_clean()
    try:
        template_render(template=campaign.template, context=sample_context())
    except TemplateRenderError as error:
        raise CampaignError(str(error)) from error
    moved = Campaign.objects.filter(pk=campaign_id, status__in=(C.DRAFT, C.SCHEDULED)).update(
        status=C.SCHEDULED, scheduled_at=at
    )
    if not moved:
        raise CampaignError(f"The campaign is {campaign.get_status_display().lower()}: it cannot be scheduled again.")
    if at <= now:
        transaction.on_commit(lambda: campaigns_start_due(now=at))
    campaign.refresh_from_db()
    return campaign


def campaign_cancel(*, campaign_id: int) -> bool:
    """Stop a scheduled or sending campaign; messages already queued in the outbox still go."""
    return bool(
        Campaign.objects.filter(pk=campaign_id, status__in=(C.SCHEDULED, C.SENDING, C.DRAFT)).update(
            status=C.CANCELLED, finished_at=timezone.now()
        )
    )


# --- sending ------------------------------------------------------------------------------------------------------


def campaigns_start_due(*, now: datetime) -> int:
    """Sweep: start the scheduled campaigns that are due, and hand over again the sending ones whose next batch
    is overdue by a minute (their self-scheduled task was lost). Returns how many were handed over."""
    due = list(Campaign.objects.filter(status=C.SCHEDULED, scheduled_at__lte=now).values_list("pk", flat=True))
    started = [
        pk
        for pk in due
        if Campaign.objects.filter(pk=pk, status=C.SCHEDULED).update(
            status=C.SENDING, started_at=now, next_batch_at=now
        )
    ]
    overdue = Campaign.objects.filter(status=C.SENDING, next_batch_at__lte=now - timedelta(minutes=1))
    ids = started + list(overdue.values_list("pk", flat=True))
    transaction.on_commit(lambda: [async_task(BATCH_TASK, pk, group="campaigns") for pk in ids])
    return len(ids)


def campaign_send_batch(*, campaign_id: int, now: datetime | None = None) -> int | None:
    """One batch (the task's body; safe to run twice at once). Returns how many messages it queued, None when
    the campaign was not due (another batch holds it, paused, not sending)."""
    now = now or timezone.now()
    pause = timedelta(seconds=settings.CAMPAIGN_BATCH_PAUSE_SECONDS)
    claimed = Campaign.objects.filter(pk=campaign_id, status=C.SENDING, next_batch_at__lte=now).update(
        next_batch_at=now + pause
    )
    if not claimed:
        return None
    campaign = Campaign.objects.select_related("template").get(pk=campaign_id)
    if not campaign.recipients.exists():
        _resolve_recipients(campaign, now=now)
    batch = list(
        campaign.recipients.filter(message=None, skipped="")
        .select_related("client", "lead")
        .order_by("pk")[: settings.CAMPAIGN_BATCH_SIZE]
    )
    queued = 0
    for recipient in batch:
        queued += _queue_one(campaign, recipient)
    if not campaign.recipients.filter(message=None, skipped="").exists():
        Campaign.objects.filter(pk=campaign_id, status=C.SENDING).update(
            status=C.SENT, finished_at=now, next_batch_at=None
        )
    else:
        transaction.on_commit(
            lambda: schedule(
                BATCH_TASK,
                campaign_id,
                name=f"campaign-{campaign_id}-batch-{now.timestamp():.0f}",
                schedule_type=Schedule.ONCE,
                repeats=-1,  # a ONCE schedule with negative repeats is deleted once it has run
                next_run=now + pause,
            )
        )
    return queued


def _resolve_recipients(campaign: Campaign, *, now: datetime) -> None:
    rows = [
        CampaignRecipient(
            campaign=campaign, address=address, **{"lead" if isinstance(person, Lead) else "client": person}
        )
        for address, person in segment_recipients(campaign=campaign, now=now).items()
    ]
    CampaignRecipient.objects.bulk_create(rows, ignore_conflicts=True)


def _queue_one(campaign: Campaign, recipient: CampaignRecipient) -> int:
    if opted_out(channel=campaign.channel, address=recipient.address):
        CampaignRecipient.objects.filter(pk=recipient.pk).update(skipped="Opted out before the batch.")
        return 0
    try:
        context = message_context(client=recipient.client, lead=recipient.lead)
        rendered = template_render(template=campaign.template, context=context)
        message = message_queue(
            channel=campaign.channel,
            to=recipient.address,
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
            purpose=Purpose.MARKETING,
            template=campaign.template.slug,
            context={"campaign_id": campaign.pk, "client_id": recipient.client_id, "lead_id": recipient.lead_id},
            client=recipient.client,
            idempotency_key=f"campaign:{campaign.pk}:{recipient.address}",
        )
    except (OutboxError, TemplateRenderError) as error:  # skipped, not retried forever
        CampaignRecipient.objects.filter(pk=recipient.pk).update(skipped=str(error)[:200])
        return 0
    CampaignRecipient.objects.filter(pk=recipient.pk).update(message=message)
    return 1


# --- stats ----------------------------------------------------------------------------------------------------------


def campaign_stats(*, campaign: Campaign) -> dict[str, int]:
    """Counts from the outbox rows of the campaign: recipients, queued (not yet handed over), sent (handed to the
    provider), delivered, opened, clicked, failed (failed or bounced), unsubscribed (opted out after it started)."""
    messages = [r.message for r in campaign.recipients.select_related("message") if r.message is not None]
    stats = {
        "recipients": campaign.recipients.count(),
        "queued": sum(m.status in (OutboxStatus.QUEUED, OutboxStatus.SENDING) for m in messages),
        "sent": sum(m.status in HANDED_OVER for m in messages),
        "delivered": sum(m.status == OutboxStatus.DELIVERED or m.delivered_at is not None for m in messages),
        "opened": sum(m.opened_at is not None for m in messages),
        "clicked": sum(m.clicked_at is not None for m in messages),
        "failed": sum(m.status in (OutboxStatus.FAILED, OutboxStatus.BOUNCED) for m in messages),
        "unsubscribed": 0,
    }
    if campaign.started_at:
        stats["unsubscribed"] = OptOut.objects.filter(
            channel=campaign.channel,
            address__in=[m.to for m in messages],
            created_at__gte=campaign.started_at,
        ).count()
    return stats
