"""Stripe mode against the fake Stripe API (tests/fakes/stripe_server.py), with signed webhooks."""

import hashlib
import hmac
import json
import time
import uuid

import pytest
from django_q.conf import Conf

from events.guests import HEADER, sign_guest_id
from events.models import LiveNight, SongRequest
from events.services import bidding_open
from tests.fakes.stripe_server import FakeStripe

WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def stripe_api(settings, monkeypatch):
    server = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.url
    monkeypatch.setattr(Conf, "SYNC", True)  # q2 tasks run inline
    yield server
    server.stop()


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> tuple[bytes, str]:
    """The body and Stripe-Signature header Stripe would send (v1 scheme: HMAC-SHA256 of "t.body")."""
    payload = json.dumps(event).encode()
    timestamp = at or int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={digest}"


def webhook(api, event_type: str, intent: dict, *, event_id: str | None = None, **signing):
    event = {"id": event_id or f"evt_{uuid.uuid4().hex}", "type": event_type, "data": {"object": intent}}
    payload, header = signed(event, **signing)
    return api.post("/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


@pytest.fixture
def night(event_a, staff_dj):
    LiveNight.objects.create(event=event_a, min_bid_cents=500, min_increment_cents=100)
    bidding_open(actor=staff_dj, event=event_a)
    return event_a


@pytest.fixture
def songs(night):
    return [
        SongRequest.objects.create(event=night, guest_id=uuid.uuid4(), title=title, normalized=title.lower())
        for title in ("September", "Africa", "Jolene")
    ]


@pytest.fixture
def new_guest(api_for):
    def make():
        api = api_for(None)
        api.credentials(**{f"HTTP_{HEADER.upper().replace('-', '_')}": sign_guest_id(uuid.uuid4())})
        return api

    return make
