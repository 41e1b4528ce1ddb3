"""anymail's tracking webhooks (delivered, bounced, opened, clicked... for every e-mail provider) reach the
outbox here (anymail has checked the request first: WEBHOOK_SECRET basic auth, and the provider's signature where
it verifies one; a bad one is answered 400 and never gets here); saved events enter and leave follow-up sequences."""

from anymail.signals import AnymailTrackingEvent, tracking
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from comms.services.automations import automations_sync_event
from comms.services.delivery_events import ANYMAIL_EVENTS, delivery_event_record
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
