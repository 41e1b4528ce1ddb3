"""What the events app announces to the apps that build on it (billing, comms, analytics). Events never
imports those apps: they connect receivers in their AppConfig.ready() (ARCHITECTURE.md, boundaries).

Every signal here is sent after the transaction that made the change has committed, with `sender` the model
class concerned and only ids as arguments, so a receiver loads fresh rows (or enqueues a task that does)."""

from django.dispatch import Signal

# A bidding round closed and its winner was picked.
#   sender=BiddingRound, round_id: UUID, event_id: int, winning_bid_id: UUID | None
# Billing captures the winner's card and releases the other authorizations.
round_closed = Signal()

# A card bid needs its payment started (Stripe mode), sent by the bid API after the bid is committed, also
# for a retried POST.   sender=Bid, bid_id: UUID
# The receiver returns what the guest's page needs to confirm the payment ({"client_secret",
# "publishable_key"}) or raises a DomainError the API turns into a readable answer.
bid_payment_required = Signal()

# Staff asked to refund a bid charged by card (its song was not played).   sender=Bid, bid_id: UUID
# Billing refunds it with the provider, then records it through events.services.bid_payment_set().
bid_refund_requested = Signal()
