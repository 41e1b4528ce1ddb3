"""The one module that talks to Stripe (and the only one that imports stripe-python). Every call that changes
something carries the idempotency key its caller derives from the bid, so a task that runs twice, or a request
retried after a dropped connection, makes one PaymentIntent, one capture, one refund."""

import datetime as dt
import json
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.utils import timezone

NETWORK_RETRIES = 2


class GatewayError(Exception):
    """Stripe could not be reached or failed (5xx): try again later with the same idempotency key."""


class PaymentRefused(Exception):
    """Stripe answered no (a declined card, a PaymentIntent in the wrong state): trying again will not help."""


class BadWebhook(Exception):
    """A webhook whose signature is missing, forged or too old, or whose body is not an event."""


@dataclass(frozen=True)
class Intent:
    id: str
    status: str
    client_secret: str
    capture_before: dt.datetime | None = None


def _client() -> stripe.StripeClient:
    options: dict = {"max_network_retries": NETWORK_RETRIES}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **options)


def _call(method, *args, **kwargs):
    try:
        return method(*args, **kwargs)
    except (stripe.CardError, stripe.InvalidRequestError) as error:
        raise PaymentRefused(error.user_message or str(error)) from error
    except stripe.StripeError as error:
        raise GatewayError(str(error)) from error


def _intent(resource) -> Intent:
    obj = resource.to_dict()
    capture_before = None
    charge = obj.get("latest_charge")
    if isinstance(charge, dict):  # expanded
        card = (charge.get("payment_method_details") or {}).get("card") or {}
        if card.get("capture_before"):
            capture_before = dt.datetime.fromtimestamp(card["capture_before"], tz=dt.UTC)
    return Intent(
        id=obj["id"], status=obj["status"], client_secret=obj.get("client_secret") or "", capture_before=capture_before
    )


def payment_intent_create(*, amount_cents: int, currency: str, bid_id: str, idempotency_key: str) -> Intent:
    """A PaymentIntent the guest's page confirms with the Payment Element; captured later (capture_method=manual)."""
    params = {
        "amount": amount_cents,
        "currency": currency.lower(),
        "capture_method": "manual",
        "automatic_payment_methods": {"enabled": True},
        "metadata": {"bid_id": bid_id},
    }
    return _intent(_call(_client().v1.payment_intents.create, params, {"idempotency_key": idempotency_key}))


def payment_intent_get(intent_id: str) -> Intent:
    """The PaymentIntent with its latest charge, whose card details say until when the hold can be captured."""
    return _intent(_call(_client().v1.payment_intents.retrieve, intent_id, {"expand": ["latest_charge"]}))


def payment_intent_capture(intent_id: str, *, idempotency_key: str) -> Intent:
    return _intent(_call(_client().v1.payment_intents.capture, intent_id, None, {"idempotency_key": idempotency_key}))


def payment_intent_cancel(intent_id: str, *, idempotency_key: str) -> Intent:
    return _intent(_call(_client().v1.payment_intents.cancel, intent_id, None, {"idempotency_key": idempotency_key}))


def refund_create(*, intent_id: str, idempotency_key: str) -> str:
    refund = _call(_client().v1.refunds.create, {"payment_intent": intent_id}, {"idempotency_key": idempotency_key})
    return refund["id"]


def webhook_event(*, payload: bytes, signature: str) -> dict:
    """The verified event as a plain dict ({"id", "type", "data": {"object": ...}}). Refuses a forged signature
    and one older than stripe-python's tolerance (5 minutes), which stops replays."""
    if not settings.STRIPE_WEBHOOK_SECRET:  # an empty secret would accept a body signed with an empty key
        raise BadWebhook("STRIPE_WEBHOOK_SECRET is not set")
    try:
        stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise BadWebhook(str(error)) from error
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise BadWebhook("not an event")
    return event


def hold_expired(intent: Intent, *, now: dt.datetime | None = None) -> bool:
    return intent.capture_before is not None and intent.capture_before <= (now or timezone.now())
