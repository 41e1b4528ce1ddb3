"""Card payments of bids (Stripe mode): start a bid's PaymentIntent, settle a closed round (capture the winner,
release the others; if the winner's capture fails the next authorized bid wins), refund, and the webhook events
that report what the card did. Stripe is called from here only outside transactions, never holding a row lock;
the bid's state moves through events.services.bid_payment_set(), which never moves it backwards."""

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from billing import stripe_gateway
from billing.models import StripeEvent
from billing.stripe_gateway import GatewayError, PaymentRefused
from djbiz.errors import DomainError
from events.models import Bid, BiddingRound
from events.services import bid_payment_intent_attach, bid_payment_set, round_winner_replace
from events.status import BidOutcome, BidPayment

logger = logging.getLogger(__name__)

# Card payments still holding (or about to hold) money on a bid that lost: they are released.
RELEASABLE = (BidPayment.REQUIRES_PAYMENT, BidPayment.AUTHORIZED, BidPayment.FAILED)


class PaymentUnavailable(DomainError):
    http_status = 503
    code = "payment_unavailable"


def _key(bid: Bid, action: str) -> str:
    """The idempotency key of one Stripe call about one bid: the same on every retry and every task re-run."""
    return f"bid-{bid.pk}-{action}"


def bid_authorize(*, bid_id: uuid.UUID) -> dict:
    """The PaymentIntent of a card bid (made once, found again on a retry): what the page needs to confirm it."""
    bid = Bid.objects.get(pk=bid_id)
    if not bid.payment_client_secret:
        try:
            intent = stripe_gateway.payment_intent_create(
                amount_cents=bid.amount_cents,
                currency=bid.currency,
                bid_id=str(bid.pk),
                idempotency_key=_key(bid, "authorize"),
            )
        except (GatewayError, PaymentRefused) as error:
            logger.warning("creating a PaymentIntent failed", extra={"bid_id": str(bid.pk)}, exc_info=True)
            raise PaymentUnavailable(
                "Card payments are not available right now: send the same bid again in a moment."
            ) from error
        bid_payment_intent_attach(bid_id=bid.pk, payment_intent_id=intent.id, client_secret=intent.client_secret)
        bid.refresh_from_db()
    return {"client_secret": bid.payment_client_secret, "publishable_key": settings.STRIPE_PUBLISHABLE_KEY}


def round_settle(*, round_id: uuid.UUID, now: datetime | None = None) -> None:
    """Capture the winner of a closed round; if that fails (declined, or the hold expired), the next authorized
    bid wins and is captured instead. Then release every other card bid. Safe to run again after a crash or a
    Stripe outage (GatewayError propagates; the keys make the repeated calls one call)."""
    while True:
        winning_bid_id = BiddingRound.objects.filter(pk=round_id).values_list("winning_bid_id", flat=True).get()
        winner = Bid.objects.filter(pk=winning_bid_id).first()
        if winner is None or winner.payment != BidPayment.AUTHORIZED:
            break
        failure = _capture(winner, now=now)
        if failure is None:
            break
        bid_payment_set(bid_id=winner.pk, payment=BidPayment.FAILED, error=failure)
        round_winner_replace(round_id=round_id, failed_bid_id=winner.pk)
    for bid in _releasable(Bid.objects.filter(round_id=round_id)):
        bid_release(bid_id=bid.pk)


def _capture(bid: Bid, *, now: datetime | None) -> str | None:
    """Capture a bid's authorization; None when captured, else why not."""
    intent = stripe_gateway.payment_intent_get(bid.payment_intent_id)
    if intent.status != "succeeded":
        if intent.status != "requires_capture":
            return f"The card was not authorized (Stripe says {intent.status})."
        if stripe_gateway.hold_expired(intent, now=now):
            return "The card's authorization expired before it was captured."
        try:
            stripe_gateway.payment_intent_capture(bid.payment_intent_id, idempotency_key=_key(bid, "capture"))
        except PaymentRefused as refusal:
            return str(refusal)
    bid_payment_set(bid_id=bid.pk, payment=BidPayment.CAPTURED)
    return None


def _releasable(bids):
    return bids.filter(outcome=BidOutcome.LOST, payment__in=RELEASABLE).exclude(payment_intent_id="")


def bid_release(*, bid_id: uuid.UUID) -> bool:
    """Cancel the PaymentIntent of a bid that lost, so the guest's card is not held."""
    bid = _releasable(Bid.objects.filter(pk=bid_id)).first()
    if bid is None:
        return False
    error = ""
    try:
        stripe_gateway.payment_intent_cancel(bid.payment_intent_id, idempotency_key=_key(bid, "cancel"))
    except PaymentRefused as refusal:  # already cancelled by Stripe (or never confirmed): nothing is held
        error = str(refusal)
    return bid_payment_set(bid_id=bid.pk, payment=BidPayment.CANCELLED, error=error)


def bid_refund_by_card(*, bid_id: uuid.UUID) -> bool:
    """Refund a captured bid (staff asked: events.services.bid_refund). Twice is one refund."""
    bid = Bid.objects.filter(pk=bid_id, payment=BidPayment.CAPTURED).first()
    if bid is None:
        return False
    try:
        stripe_gateway.refund_create(intent_id=bid.payment_intent_id, idempotency_key=_key(bid, "refund"))
    except PaymentRefused:
        logger.exception("Stripe refused a refund", extra={"bid_id": str(bid.pk)})
        return False
    return bid_payment_set(bid_id=bid.pk, payment=BidPayment.REFUNDED)


def rounds_settle_pending(*, now: datetime) -> int:
    """Settle again the rounds whose payments are still pending a minute after they closed (a settle task that
    failed on a Stripe outage is not retried by django-q2). Returns how many rounds it looked at."""
    stale = now - timedelta(minutes=1)
    pending = Q(winning_bid__payment=BidPayment.AUTHORIZED) | Q(
        bids__outcome=BidOutcome.LOST, bids__payment__in=RELEASABLE, bids__payment_intent_id__gt=""
    )
    round_ids = list(
        BiddingRound.objects.filter(pending, closed_at__lte=stale, closed_at__gte=now - timedelta(days=8))
        .values_list("id", flat=True)
        .distinct()
    )
    for round_id in round_ids:
        round_settle(round_id=round_id, now=now)
    return len(round_ids)


# --- webhooks -------------------------------------------------------------------------------------------


def webhook_receive(*, event: dict) -> bool:
    """Store a verified Stripe event by its id, then handle it once. Returns False for a duplicate delivery."""
    try:
        with transaction.atomic():
            StripeEvent.objects.create(stripe_id=event["id"], type=event["type"], payload=event)
    except IntegrityError:
        pass  # delivered before (or right now, concurrently): handled once below
    with transaction.atomic():
        stored = StripeEvent.objects.select_for_update().get(stripe_id=event["id"])
        if stored.handled_at is not None:
            return False
        handler = WEBHOOK_HANDLERS.get(stored.type)
        if handler is not None:
            handler((stored.payload.get("data") or {}).get("object") or {})
        stored.handled_at = timezone.now()
        stored.save(update_fields=["handled_at"])
    return True


def _bid_of(intent: dict) -> Bid | None:
    """The bid a PaymentIntent is for (our metadata), or None for a PaymentIntent that is not a bid's."""
    try:
        bid_id = uuid.UUID(str((intent.get("metadata") or {}).get("bid_id")))
    except ValueError:
        return None
    return Bid.objects.filter(pk=bid_id, payment_intent_id__in=["", intent.get("id")]).first()


def _on_authorized(intent: dict) -> None:
    bid = _bid_of(intent)
    if bid is None or not bid_payment_set(bid_id=bid.pk, payment=BidPayment.AUTHORIZED, payment_intent_id=intent["id"]):
        return
    if Bid.objects.filter(pk=bid.pk, outcome=BidOutcome.LOST).exists():  # authorized after its round closed
        transaction.on_commit(lambda: async_task("billing.tasks.release_bid", str(bid.pk)))


def _on_succeeded(intent: dict) -> None:
    if (bid := _bid_of(intent)) is not None:
        bid_payment_set(bid_id=bid.pk, payment=BidPayment.CAPTURED, payment_intent_id=intent["id"])


def _on_failed(intent: dict) -> None:
    if (bid := _bid_of(intent)) is not None:
        error = (intent.get("last_payment_error") or {}).get("message") or "The card was declined."
        bid_payment_set(bid_id=bid.pk, payment=BidPayment.FAILED, payment_intent_id=intent["id"], error=error)


def _on_canceled(intent: dict) -> None:
    if (bid := _bid_of(intent)) is not None:
        bid_payment_set(bid_id=bid.pk, payment=BidPayment.CANCELLED, payment_intent_id=intent["id"])


WEBHOOK_HANDLERS: dict[str, Callable[[dict], None]] = {
    "payment_intent.amount_capturable_updated": _on_authorized,
    "payment_intent.succeeded": _on_succeeded,
    "payment_intent.payment_failed": _on_failed,
    "payment_intent.canceled": _on_canceled,
}
