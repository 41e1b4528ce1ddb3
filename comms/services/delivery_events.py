"""Provider webhook events about sent messages (anymail's tracking events, Twilio's status callbacks).

Each event is stored by (provider, provider message id, event) before it is handled, so a repeated or replayed
delivery is a no-op; it then moves the message only forward (comms/status.py): a late "sent" after "delivered"
is stored and ignored. Opens and clicks set their first timestamp; complaints and provider-side unsubscribes
become opt-outs.
"""

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from comms.models import DeliveryEvent, OptOutSource, OutboxMessage
from comms.services.consent import opt_out_record
from comms.sms import TWILIO_UNSUBSCRIBED
from comms.status import OutboxStatus, can_transition

S = OutboxStatus

# anymail's normalized event types -> the status they mean, or the timestamp / consent change they carry.
ANYMAIL_EVENTS: dict[str, str] = {
    "queued": S.SENT,
    "sent": S.SENT,
    "delivered": S.DELIVERED,
    "bounced": S.BOUNCED,
    "rejected": S.FAILED,
    "failed": S.FAILED,
    "opened": "opened",
    "clicked": "clicked",
    "complained": "opt_out",
    "unsubscribed": "opt_out",
}
# Twilio's MessageStatus values.
TWILIO_STATUSES: dict[str, str] = {
    "accepted": S.SENT,
    "scheduled": S.SENT,
    "queued": S.SENT,
    "sending": S.SENT,
    "sent": S.SENT,
    "delivered": S.DELIVERED,
    "read": S.DELIVERED,
    "undelivered": S.FAILED,
    "failed": S.FAILED,
}


def delivery_event_record(
    *,
    provider: str,
    provider_message_id: str,
    event: str,
    effect: str | None,
    outbox_uuid: str | None = None,
    occurred_at: datetime | None = None,
    error_code: str = "",
    payload: dict | None = None,
) -> bool:
    """Store one verified webhook event and apply its `effect` (a status, "opened", "clicked", "opt_out", or None)
    to the message it is about: the one whose uuid it carries (our metadata or callback URL), else the one with
    this provider id. Returns False for a duplicate."""
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = DeliveryEvent.objects.create(
                    provider=provider,
                    provider_message_id=provider_message_id,
                    event=event,
                    occurred_at=occurred_at,
                    payload=payload or {},
                )
        except IntegrityError:
            return False
        message = _message_of(provider_message_id, outbox_uuid)
        if message is not None and effect is not None:
            stored.applied = _apply(message, effect, provider_message_id, occurred_at, error_code)
            stored.message = message
            stored.save(update_fields=["applied", "message"])
    return True


def _message_of(provider_message_id: str, outbox_uuid: str | None) -> OutboxMessage | None:
    messages = OutboxMessage.objects.select_for_update()
    if outbox_uuid:
        try:
            return messages.filter(uuid=uuid.UUID(str(outbox_uuid))).first()
        except ValueError:  # not ours
            return None
    return messages.filter(provider_id=provider_message_id).first() if provider_message_id else None


def _apply(message: OutboxMessage, effect: str, provider_id: str, occurred_at: datetime, error_code: str) -> bool:
    changed: list[str] = []
    if effect == "opened" and message.opened_at is None:
        message.opened_at, changed = occurred_at, ["opened_at"]
    elif effect == "clicked" and message.clicked_at is None:
        message.clicked_at, changed = occurred_at, ["clicked_at"]
    elif effect == "opt_out":
        return opt_out_record(channel=message.channel, address=message.to, source=OptOutSource.PROVIDER)
    elif effect in S.values and effect != message.status and can_transition(message.status, effect):
        message.status, changed = effect, ["status"]
        if effect == S.DELIVERED:
            message.delivered_at = occurred_at
            changed.append("delivered_at")
        if effect in (S.FAILED, S.BOUNCED):
            message.last_error = f"The provider reported {effect}" + (f" (error {error_code})" if error_code else "")
            changed.append("last_error")
        if error_code == str(TWILIO_UNSUBSCRIBED):
            opt_out_record(channel=message.channel, address=message.to, source=OptOutSource.PROVIDER)
    if not changed:
        return False
    if not message.provider_id and provider_id:
        message.provider_id = provider_id
        changed.append("provider_id")
    message.save(update_fields=[*changed, "updated_at"])
    return True
