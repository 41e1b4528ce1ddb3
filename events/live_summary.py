"""The event summary after the night (staff): requests, top songs, votes, bids and the money taken."""

from dataclasses import dataclass

from django.db.models import Count, Sum

from djbiz.money import format_cents
from events.bidding_selectors import event_currency, unplayed_winning_bids
from events.models import Bid, BiddingRound, Event, SongRequest, Vote
from events.status import BidOutcome, BidPayment, RequestStatus

TOP_SONGS = 10


@dataclass(frozen=True)
class MoneyLine:
    label: str
    bids: int
    amount: str


@dataclass(frozen=True)
class EventSummary:
    requests_total: int
    requests_by_status: list[tuple[str, int]]  # (label, count) in the order of the request pipeline
    top_songs: list[SongRequest]
    played: list[SongRequest]
    votes_total: int
    rounds_total: int
    bids_total: int
    money_by_payment: list[MoneyLine]  # won bids' amounts by payment status
    money_taken: str  # won bids that were paid (charged by card or paid at the booth)
    unplayed_winners: list[Bid]


def event_summary(event: Event) -> EventSummary:
    currency = event_currency(event)
    requests = SongRequest.objects.filter(event=event)
    counts = dict(requests.values_list("status").annotate(n=Count("id")).order_by())
    won = (
        Bid.objects.filter(round__event=event, outcome=BidOutcome.WON)
        .values_list("payment")
        .annotate(n=Count("id"), total=Sum("amount_cents"))
        .order_by()
    )
    won_by_payment = {payment: (n, total) for payment, n, total in won}
    paid = (BidPayment.CAPTURED, BidPayment.PAID_AT_BOOTH)
    return EventSummary(
        requests_total=sum(counts.values()),
        requests_by_status=[(status.label, counts[status]) for status in RequestStatus if counts.get(status)],
        top_songs=list(requests.filter(votes_count__gt=0).order_by("-votes_count", "created_at")[:TOP_SONGS]),
        played=list(requests.filter(status=RequestStatus.PLAYED).order_by("played_at")),
        votes_total=Vote.objects.filter(request__event=event).count(),
        rounds_total=BiddingRound.objects.filter(event=event).count(),
        bids_total=Bid.objects.filter(round__event=event).count(),
        money_by_payment=[
            MoneyLine(payment.label, *_count_and_amount(won_by_payment[payment], currency))
            for payment in BidPayment
            if payment in won_by_payment
        ],
        money_taken=format_cents(sum(won_by_payment.get(p, (0, 0))[1] for p in paid), currency),
        unplayed_winners=list(unplayed_winning_bids(event)),
    )


def _count_and_amount(row: tuple[int, int], currency: str) -> tuple[int, str]:
    count, total = row
    return count, format_cents(total, currency)
