"""Stripe webhooks: verified, stored by event id before handling, handled once, in any order."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from billing.models import StripeEvent
from events.models import Bid
from tests.billing.conftest import signed, webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_bid(night, songs, new_guest, stripe_api):
    answer = new_guest().post(
        f"/api/v1/events/{night.slug}/bids/",
        {"request_id": str(songs[0].pk), "amount_cents": 800, "client_request_id": "k"},
        format="json",
    )
    return Bid.objects.get(pk=answer.json()["id"])


def test_a_forged_signature_is_refused_and_nothing_is_stored(card_bid, stripe_api, client):
    intent = stripe_api.authorize(card_bid.payment_intent_id)
    answer = webhook(client, "payment_intent.amount_capturable_updated", intent, secret="whsec_someone_else")
    assert answer.status_code == 400
    assert not StripeEvent.objects.exists()
    card_bid.refresh_from_db()
    assert card_bid.payment == "requires_payment"


def test_a_stale_webhook_is_refused(card_bid, stripe_api, client):
    intent = stripe_api.authorize(card_bid.payment_intent_id)
    answer = webhook(client, "payment_intent.amount_capturable_updated", intent, at=int(time.time()) - 3600)
    assert answer.status_code == 400


def test_webhooks_are_refused_when_no_secret_is_configured(card_bid, stripe_api, client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    intent = stripe_api.authorize(card_bid.payment_intent_id)
    assert webhook(client, "payment_intent.succeeded", intent, secret="").status_code == 400


def test_a_duplicate_is_stored_and_handled_once(card_bid, stripe_api, client):
    intent = stripe_api.authorize(card_bid.payment_intent_id)
    first = webhook(client, "payment_intent.amount_capturable_updated", intent, event_id="evt_1")
    again = webhook(client, "payment_intent.amount_capturable_updated", intent, event_id="evt_1")
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert StripeEvent.objects.get().handled_at is not None


def test_out_of_order_events_never_move_a_bid_backwards(card_bid, stripe_api, client):
    intent = stripe_api.authorize(card_bid.payment_intent_id)
    webhook(client, "payment_intent.succeeded", {**intent, "status": "succeeded"})
    webhook(client, "payment_intent.amount_capturable_updated", intent)
    webhook(client, "payment_intent.payment_failed", intent)
    webhook(client, "payment_intent.canceled", intent)
    card_bid.refresh_from_db()
    assert card_bid.payment == "captured"


def test_events_about_other_payment_intents_are_stored_and_ignored(card_bid, client):
    answer = webhook(client, "payment_intent.succeeded", {"id": "pi_other", "metadata": {}})
    assert answer.status_code == 200
    answer = webhook(client, "charge.dispute.created", {"id": "dp_1"})
    assert answer.status_code == 200
    assert StripeEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_event_delivered_concurrently_is_handled_once(card_bid, stripe_api):
    intent = stripe_api.authorize(card_bid.payment_intent_id)
    event = {"id": "evt_same", "type": "payment_intent.amount_capturable_updated", "data": {"object": intent}}
    payload, header = signed(event)
    barrier = threading.Barrier(4)
    answers = []

    def deliver():
        try:
            barrier.wait()
            answer = Client().post(
                "/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
            )
            answers.append((answer.status_code, answer.json()["duplicate"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [(200, False), (200, True), (200, True), (200, True)]
    card_bid.refresh_from_db()
    assert card_bid.payment == "authorized"
    assert StripeEvent.objects.count() == 1
