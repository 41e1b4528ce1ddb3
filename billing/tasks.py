"""Background work of billing (django-q2): card payments of bids. Tasks take ids and are safe to run twice (every
Stripe call carries an idempotency key derived from the bid)."""

import logging
import uuid

from django.utils import timezone

from billing.services import bid_refund_by_card, bid_release, round_settle, rounds_settle_pending
from djbiz.schedules import ScheduleSpec

logger = logging.getLogger(__name__)

SCHEDULES = [
    ScheduleSpec(
        name="djbiz:billing.settle_pending", func="billing.tasks.settle_pending_rounds", schedule_type="I", minutes=1
    ),
]


def settle_round(round_id: str) -> None:
    """A round closed: capture its winner (or the next bid if that fails) and release the other cards."""
    round_settle(round_id=uuid.UUID(round_id))


def release_bid(bid_id: str) -> None:
    bid_release(bid_id=uuid.UUID(bid_id))


def refund_bid(bid_id: str) -> None:
    bid_refund_by_card(bid_id=uuid.UUID(bid_id))


def settle_pending_rounds() -> int:
    """Settle again the rounds left pending by a settle task that failed (Stripe down): q2 does not retry it."""
    count = rounds_settle_pending(now=timezone.now())
    if count:
        logger.info("settled pending rounds", extra={"count": count})
    return count
