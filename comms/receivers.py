"""anymail's webhooks: tracking events (delivered, bounced, opened, clicked... for every e-mail provider) reach
the outbox here, inbound e-mail the conversations. anymail has checked the request first: WEBHOOK_SECRET basic
auth, and the provider's signature where it verifies one (Mailgun, SendGrid's signed events); a bad one is
answered 400 and never gets here. Saved events enter and leave follow-up sequences."""

from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, inbound, tracking
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.html import strip_tags

from comms.models import MessageChannel
from comms.services.attachments import IncomingFile
from comms.services.automations import automations_sync_event
from comms.services.delivery_events import ANYMAIL_EVENTS, delivery_event_record
from comms.services.inbound import Incoming, inbound_receive
from events.models import Event


@receiver(tracking, dispatch_uid="comms.anymail_tracking")
def anymail_tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    if not event.message_id:
        return  # nothing to tie it to (or to deduplicate it by)
    delivery_event_record(
        provider=esp_name.lower(),
        provider_message_id=str(event.message_id),
        event=event.event_type,
        effect=ANYMAIL_EVENTS.get(event.event_type),
        outbox_uuid=(event.metadata or {}).get("outbox_id"),
        occurred_at=event.timestamp,
        payload={
            "recipient": event.recipient,
            "description": event.description,
            "mta_response": event.mta_response,
            "reject_reason": event.reject_reason,
            "click_url": event.click_url,
        },
    )


@receiver(post_save, sender=Event, dispatch_uid="comms.event_sequences")
def event_saved(sender, instance: Event, **kwargs) -> None:
    """Any save, from any page, API or command: the event's sequences follow its status once committed."""
    event_id = instance.pk
    transaction.on_commit(lambda: automations_sync_event(event_id=event_id))


@receiver(inbound, dispatch_uid="comms.anymail_inbound")
def anymail_inbound_received(sender, event: AnymailInboundEvent, esp_name: str, **kwargs) -> None:
    """An e-mail to the business: into its conversation. Deduplicated by the provider's id for it (or, when the
    provider gives none, by the e-mail's Message-ID header)."""
    message = event.message
    text = message.text or ""
    if not text and message.html:
        text = strip_tags(message.html)
    inbound_receive(
        incoming=Incoming(
            channel=MessageChannel.EMAIL,
            sender=str(message.from_email or ""),
            subject=message.subject or "",
            body=text,
            received_at=timezone.now(),  # our clock: the sender's Date header may be anything
            provider=esp_name.lower(),
            provider_message_id=str(event.event_id or message.get("Message-ID", "") or "")[:255],
            message_id_header=str(message.get("Message-ID", "") or "").strip(),
            automated=automated(message),
            files=[
                IncomingFile(filename=part.get_filename() or "attachment", content=part.get_content_bytes())
                for part in message.attachments
            ],
        )
    )


def automated(message) -> bool:
    """An out-of-office or other auto-reply (RFC 3834 Auto-Submitted, the common X- headers), a list or bulk
    mailing, or what the provider's spam filter flagged."""
    if getattr(message, "spam_detected", None):
        return True
    if str(message.get("Auto-Submitted", "no")).strip().lower() != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return True
    return any(message.get(header) for header in ("X-Autoreply", "X-Autorespond", "List-Id", "List-Unsubscribe"))
