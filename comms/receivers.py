"""anymail's tracking webhooks (delivered, bounced, opened, clicked... for every e-mail provider) reach the
outbox here. anymail has checked the request first: WEBHOOK_SECRET basic auth, and the provider's signature
where it verifies one (Mailgun, SendGrid's signed events); a bad one is answered 400 and never gets here."""

from anymail.signals import AnymailTrackingEvent, tracking
from django.dispatch import receiver

from comms.services.delivery_events import ANYMAIL_EVENTS, delivery_event_record


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
