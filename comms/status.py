"""The outbox's status machine: the one place that says which moves a message may make.

queued → sending → sent → delivered | bounced | failed. `sending` is a claim (one worker holds the row);
`review` holds an e-mail whose worker stopped after handing it to the provider (was it sent? staff decide, or a
webhook from the provider tells); `suppressed` is a marketing message to a recipient who opted out. Webhooks
arrive late, twice and out of order: a status only moves forward along these arrows, so a late "sent" never
overwrites "delivered".
"""

from django.db import models


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    BOUNCED = "bounced", "Bounced"
    FAILED = "failed", "Failed"
    REVIEW = "review", "Needs review"
    SUPPRESSED = "suppressed", "Suppressed (opted out)"


S = OutboxStatus
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    # queued: claimed by a worker, or held back (opted out, retries exhausted, cancelled by staff).
    S.QUEUED: frozenset({S.SENDING, S.SUPPRESSED, S.FAILED}),
    # sending: the provider answered (sent / failed / back to queued for a retry), the worker died and the
    # reconciliation decided (queued when the provider never got it, review for e-mail), or a webhook told first.
    S.SENDING: frozenset({S.SENT, S.QUEUED, S.FAILED, S.REVIEW, S.DELIVERED, S.BOUNCED}),
    S.SENT: frozenset({S.DELIVERED, S.BOUNCED, S.FAILED}),
    S.DELIVERED: frozenset(),
    S.BOUNCED: frozenset(),
    # failed: staff may retry (admin action); a carrier's late "delivered" is believed.
    S.FAILED: frozenset({S.QUEUED, S.DELIVERED}),
    # review: staff retry or mark it sent; the provider's webhook settles it.
    S.REVIEW: frozenset({S.QUEUED, S.SENT, S.DELIVERED, S.BOUNCED, S.FAILED}),
    S.SUPPRESSED: frozenset(),
}

# Statuses whose message went to the provider (campaign stats count these as sent).
HANDED_OVER = (S.SENT, S.DELIVERED, S.BOUNCED)


def can_transition(current: str, new: str) -> bool:
    return new in ALLOWED_TRANSITIONS[current]


def statuses_leading_to(new: str) -> list[str]:
    """The statuses from which a message may move to `new` (for a conditional update)."""
    return [current for current, allowed in ALLOWED_TRANSITIONS.items() if new in allowed]
