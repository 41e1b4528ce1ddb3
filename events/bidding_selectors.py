"""Read side of bidding: the open round as guests and consoles see it, standings per request, and the winning
songs still unplayed. The queue snapshot, the guest page and the API read rounds through these."""

import hashlib
import uuid

from django.db import connection
from django.db.models import Count, Max, QuerySet

from accounts.models import BusinessProfile
from events.hot_reads import as_uuid, prepare_uuid
from events.models import Bid, BiddingRound, Event, LiveNight
from events.status import BidOutcome, BidPayment, RequestStatus

# Bids that stand in a round: they set the leader and the minimum next bid. A card bid stands once the card
# is authorized; before that it is an offer without money behind it.
STANDING_PAYMENTS = (BidPayment.PLEDGE, BidPayment.PAID_AT_BOOTH, BidPayment.AUTHORIZED, BidPayment.CAPTURED)
# Bids that can win a round when it closes (a capture happens only after the close).
WINNABLE_PAYMENTS = (BidPayment.PLEDGE, BidPayment.PAID_AT_BOOTH, BidPayment.AUTHORIZED)


def guest_tag(guest_id: uuid.UUID | str) -> str:
    """A short public tag for a guest, carried by feed messages instead of the guest id itself (which works as
    the guest's credential in X-Guest-Id): the page compares it with its own tag to tell an outbid guest."""
    return hashlib.sha256(f"djbiz-guest:{guest_id}".encode()).hexdigest()[:16]


def event_currency(event: Event) -> str:
    return event.currency or BusinessProfile.current().currency


def open_round(event: Event) -> BiddingRound | None:
    """The event's round that has not been closed yet (it may have passed its end, waiting for the closer)."""
    return BiddingRound.objects.filter(event=event, closed_at=None).first()


def standing_bids(bidding_round: BiddingRound) -> QuerySet[Bid]:
    """The round's standing bids, best first: highest amount, ties to the earliest."""
    return bidding_round.bids.filter(payment__in=STANDING_PAYMENTS).order_by("-amount_cents", "created_at", "id")


def min_next_bid_cents(*, live: LiveNight, highest_cents: int | None) -> int:
    if highest_cents is None:
        return live.min_bid_cents
    return max(live.min_bid_cents, highest_cents + live.min_increment_cents)


_STANDING_SQL = (
    "SELECT request_id, amount_cents, guest_name, guest_id, COUNT(*) OVER () FROM events_bid "
    "WHERE round_id = %s AND payment IN (%s, %s, %s, %s) ORDER BY amount_cents DESC, created_at, id LIMIT 1"
)
_STANDING_EXCLUDING_SQL = _STANDING_SQL.replace("ORDER BY", "AND id <> %s ORDER BY")
assert len(STANDING_PAYMENTS) == _STANDING_SQL.count("%s") - 1


def round_standing(bidding_round: BiddingRound, *, excluding: uuid.UUID | None = None) -> tuple[dict | None, int]:
    """The round's leading standing bid ({"request_id", "amount_cents", "guest_name", "guest_id"}, or None) and how
    many bids stand, in one query (a window count beside the leader's row). `excluding` leaves one bid out.

    standing_bids() in plain SQL: every bid reads this under the round's lock, where compiling the queryset cost
    more CPU than running it (events.hot_reads says more)."""
    sql, params = _STANDING_SQL, [prepare_uuid(bidding_round.pk), *STANDING_PAYMENTS]
    if excluding is not None:
        sql, params = _STANDING_EXCLUDING_SQL, [*params, prepare_uuid(excluding)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None, 0
    request_id, amount_cents, guest_name, guest_id, standing = row
    leader = {"request_id": as_uuid(request_id), "amount_cents": amount_cents, "guest_name": guest_name}
    return {**leader, "guest_id": as_uuid(guest_id)}, standing


def round_summary(bidding_round: BiddingRound, *, live: LiveNight | None = None) -> dict:
    live = live or LiveNight.objects.filter(event_id=bidding_round.event_id).first() or LiveNight()
    leader, standing = round_standing(bidding_round)
    return round_summary_of(bidding_round, live=live, leader=leader, standing=standing)


def round_summary_of(bidding_round: BiddingRound, *, live: LiveNight, leader: dict | None, standing: int) -> dict:
    """round_summary() from a leader and a count the caller knows already (a bid that just took the lead)."""
    return {
        "id": bidding_round.id,
        "number": bidding_round.number,
        "ends_at": bidding_round.ends_at,
        "leader": leader and {key: leader[key] for key in ("request_id", "amount_cents", "guest_name")},
        "bids_count": standing,
        "min_next_bid_cents": min_next_bid_cents(live=live, highest_cents=leader and leader["amount_cents"]),
        "currency": event_currency(bidding_round.event),
    }


def open_round_summary(event: Event) -> dict | None:
    """The open round as guests see it: {"id", "number", "ends_at", "leader": {"request_id", "amount_cents",
    "guest_name"} | None, "bids_count", "min_next_bid_cents", "currency"}, or None when no round is open
    (bidding closed). Counts standing bids only (pledges, authorized or paid cards)."""
    bidding_round = open_round(event)
    if bidding_round is None:
        return None
    bidding_round.event = event
    return round_summary(bidding_round)


def leader_board(bidding_round: BiddingRound) -> list[dict]:
    """Standings per request in a round, best first: [{"request_id", "title", "artist", "top_bid_cents",
    "bids_count"}]. Ties go to the request whose top bid came first."""
    rows = (
        bidding_round.bids.filter(payment__in=STANDING_PAYMENTS)
        .values("request_id", "request__title", "request__artist")
        .annotate(top_bid_cents=Max("amount_cents"), bids_count=Count("id"))
    )
    first_at: dict = {}
    for request_id, amount, created_at in standing_bids(bidding_round).values_list(
        "request_id", "amount_cents", "created_at"
    ):
        first_at.setdefault((request_id, amount), created_at)
    board = [
        {
            "request_id": row["request_id"],
            "title": row["request__title"],
            "artist": row["request__artist"],
            "top_bid_cents": row["top_bid_cents"],
            "bids_count": row["bids_count"],
        }
        for row in rows
    ]
    board.sort(key=lambda row: (-row["top_bid_cents"], first_at[(row["request_id"], row["top_bid_cents"])]))
    return board


def unplayed_winning_bids(event: Event) -> QuerySet[Bid]:
    """Winning bids whose song was never played (skipped, declined, or still waiting): staff check these at
    the end of the night, and refund the ones that were charged."""
    return (
        Bid.objects.filter(round__event=event, outcome=BidOutcome.WON)
        .exclude(request__status=RequestStatus.PLAYED)
        .select_related("request", "round")
        .order_by("round__number")
    )
