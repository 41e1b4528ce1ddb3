"""Mailgun's tracking webhook: anymail checks Mailgun's HMAC signature (MAILGUN_WEBHOOK_SIGNING_KEY) besides the
basic auth; a forged event is refused and changes nothing, a signed one settles the message by our metadata."""

import hashlib
import hmac
import json
import time

import pytest

from comms.models import DeliveryEvent
from tests.comms.conftest import WEBHOOK_SECRET
from tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db
SIGNING_KEY = "mailgun-signing-key"
URL = "/webhooks/anymail/mailgun/tracking/"


@pytest.fixture
def mailgun(settings):
    settings.ANYMAIL = {
        "MAILGUN_API_KEY": "key",
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
    }


def _event(message, *, key: str = SIGNING_KEY) -> str:
    timestamp, token = str(int(time.time())), "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": {
                "event": "delivered",
                "timestamp": time.time(),
                "recipient": message.to,
                "message": {"headers": {"message-id": "20261204.1@mg.djbiz.example"}},
                "user-variables": {"outbox_id": str(message.uuid)},
            },
        }
    )


def test_a_signed_event_settles_the_message_and_a_forged_one_is_refused(mailgun, client, webhook_auth):
    message = OutboxMessageFactory(status="sent", provider="mailgun")
    forged = client.post(URL, _event(message, key="guessed"), content_type="application/json", **webhook_auth)
    assert forged.status_code == 400
    message.refresh_from_db()
    assert message.status == "sent" and not DeliveryEvent.objects.exists()

    signed = client.post(URL, _event(message), content_type="application/json", **webhook_auth)
    assert signed.status_code == 200
    message.refresh_from_db()
    assert (message.status, message.provider_id) == ("delivered", "<20261204.1@mg.djbiz.example>")
