"""Billing's records. For now: the Stripe webhook events received, stored by Stripe's id before they are handled
(ARCHITECTURE.md, idempotency)."""

from django.db import models


class StripeEvent(models.Model):
    """A verified Stripe webhook event. The unique id makes a delivery that comes twice (Stripe retries, and may
    send one event concurrently) a no-op; `handled_at` says it was acted on."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"
