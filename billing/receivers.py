"""Billing reacts to what the events app announces (events.signals); connected in BillingConfig.ready()."""

from django.dispatch import receiver
from django_q.tasks import async_task

from billing.services import bid_authorize
from events.services import card_payments_enabled
from events.signals import bid_payment_required, bid_refund_requested, round_closed


@receiver(round_closed, dispatch_uid="billing.settle_round")
def settle_round_payments(sender, *, round_id, **kwargs) -> None:
    if card_payments_enabled():
        async_task("billing.tasks.settle_round", str(round_id))


@receiver(bid_payment_required, dispatch_uid="billing.start_card_payment")
def start_card_payment(sender, *, bid_id, **kwargs) -> dict:
    return bid_authorize(bid_id=bid_id)


@receiver(bid_refund_requested, dispatch_uid="billing.refund_card_payment")
def refund_card_payment(sender, *, bid_id, **kwargs) -> None:
    async_task("billing.tasks.refund_bid", str(bid_id))
