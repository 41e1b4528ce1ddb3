"""Background work of comms (django-q2). Tasks take ids and are safe to run twice (comms/services/outbox.py)."""

import logging

from django.utils import timezone

from comms.services.automations import automations_run_due
from comms.services.campaigns import campaign_send_batch, campaigns_start_due
from comms.services.chat_notices import chat_notice_send, chat_notice_sweep
from comms.services.digest import digest_send_due
from comms.services.drafts import inbound_triage_pending
from comms.services.mms import inbound_media_fetch, inbound_media_sweep
from comms.services.outbox import message_send, outbox_sweep
from djbiz.schedules import ScheduleSpec

logger = logging.getLogger(__name__)

SCHEDULES = [
    ScheduleSpec(name="djbiz:comms.outbox_sweep", func="comms.tasks.sweep_outbox", schedule_type="I", minutes=1),
    ScheduleSpec(name="djbiz:comms.campaigns", func="comms.tasks.start_due_campaigns", schedule_type="I", minutes=1),
    ScheduleSpec(name="djbiz:comms.automations", func="comms.tasks.run_automations", schedule_type="I", minutes=5),
    ScheduleSpec(name="djbiz:comms.triage_inbound", func="comms.tasks.triage_inbound", schedule_type="I", minutes=1),
    ScheduleSpec(name="djbiz:comms.daily_digest", func="comms.tasks.send_daily_digest", schedule_type="I", minutes=15),
    ScheduleSpec(name="djbiz:comms.stalled_work", func="comms.tasks.sweep_stalled", schedule_type="I", minutes=5),
]


def send_message(message_id: int) -> str | None:
    return message_send(message_id=message_id)


def sweep_outbox() -> dict[str, int]:
    """Every minute: hand due messages (retries, quiet hours over) to the worker; reconcile crashed sends."""
    counts = outbox_sweep(now=timezone.now())
    if any(counts.values()):
        logger.info("outbox sweep", extra=counts)
    return counts


def start_due_campaigns() -> int:
    """Every minute: start scheduled campaigns that are due; hand over again a sending one whose batch was lost."""
    return campaigns_start_due(now=timezone.now())


def send_campaign_batch(campaign_id: int) -> int | None:
    return campaign_send_batch(campaign_id=campaign_id)


def run_automations() -> dict[str, int]:
    """Every five minutes: send the follow-up steps that are due, once each."""
    return automations_run_due(now=timezone.now())


def triage_inbound() -> int:
    """Every minute: triage new inbound messages and draft their replies (nothing is sent)."""
    done = inbound_triage_pending()
    if done:
        logger.info("inbound triaged", extra={"messages": done})
    return done


def fetch_inbound_media(message_id: int) -> int | None:
    """An inbound MMS's media, fetched from Twilio after the webhook answered."""
    return inbound_media_fetch(message_id=message_id)


def send_daily_digest() -> int:
    """Every 15 minutes: the owners' morning digest, once a day from DIGEST_HOUR in the business's time zone."""
    return digest_send_due(now=timezone.now())


def sweep_stalled() -> dict[str, int]:
    """Every five minutes: MMS media whose fetch was lost, chat notices whose check was never planned."""
    now = timezone.now()
    return {"media": inbound_media_sweep(now=now), "chat_notices": chat_notice_sweep(now=now)}


def send_chat_notice(message_id: int) -> int | None:
    """A chat message's notice check (planned when it was sent): queue one notice if it is still unread."""
    notice = chat_notice_send(message_id=message_id)
    return notice.pk if notice else None
