"""Bidding on the live night: opening and closing bidding, placing bids, closing rounds, and the payment state
of a bid.

Locks are always taken in one order, the round row first and the event's LiveNight row second (feed.publish
bumps its sequence), so a bid, the closer and the DJ's switch never deadlock. A round is claimed by a
conditional update (closed_at=None -> now): whoever claims it picks the winner in the same transaction, and a
bid that locked the round first is counted, while one that comes after finds it closed.

Payments: without Stripe keys a bid is a pledge, paid at the booth. With keys it waits for the card
(REQUIRES_PAYMENT) and stands once billing reports the authorization; billing captures and cancels after the
round closes, reacting to events.signals.round_closed, and reports back through bid_payment_set()."""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from djbiz.errors import DomainError
from djbiz.money import format_cents
from events import feed, hot_reads
from events.bidding_selectors import (
    WINNABLE_PAYMENTS,
    event_currency,
    guest_tag,
    min_next_bid_cents,
    round_standing,
    round_summary,
    round_summary_of,
)
from events.models import Bid, BiddingRound, Event, LiveNight, SongRequest
from events.profanity import mask_profanity
from events.signals import bid_refund_requested, round_closed
from events.status import OPEN_REQUEST_STATUSES, BidOutcome, BidPayment, RequestStatus, request_statuses_leading_to

logger = logging.getLogger(__name__)


class BiddingError(DomainError):
    """A bid or a bidding action that cannot be done: 409 with the reason (400 naming the field for bad input)."""

    http_status = 409
    code = "bidding_refused"


class BadBid(BiddingError):
    http_status = 400
    code = "invalid"


# The payment state machine of a bid: which states each may move to. Webhooks arrive late, twice and out of
# order; a move not listed here is ignored, so a bid never goes backwards.
PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    BidPayment.PLEDGE: frozenset({BidPayment.PAID_AT_BOOTH}),
    BidPayment.PAID_AT_BOOTH: frozenset({BidPayment.REFUNDED}),
    BidPayment.REQUIRES_PAYMENT: frozenset(
        {BidPayment.AUTHORIZED, BidPayment.CAPTURED, BidPayment.FAILED, BidPayment.CANCELLED}
    ),
    # A declined card may be retried on the same PaymentIntent while the round is open (see bid_payment_set).
    BidPayment.FAILED: frozenset({BidPayment.AUTHORIZED, BidPayment.CANCELLED}),
    BidPayment.AUTHORIZED: frozenset({BidPayment.CAPTURED, BidPayment.CANCELLED, BidPayment.FAILED}),
    BidPayment.CAPTURED: frozenset({BidPayment.REFUNDED}),
    BidPayment.CANCELLED: frozenset(),
    BidPayment.REFUNDED: frozenset(),
}


def payments_leading_to(payment: str) -> list[str]:
    return [current for current, allowed in PAYMENT_TRANSITIONS.items() if payment in allowed]


def card_payments_enabled() -> bool:
    """Stripe mode when a secret key is configured; pledge mode otherwise."""
    return bool(settings.STRIPE_SECRET_KEY)


def _live_for_update(event: Event) -> LiveNight:
    LiveNight.objects.get_or_create(event=event)
    return LiveNight.objects.select_for_update().get(event=event)


def _round_start(*, event: Event, live: LiveNight, now: datetime) -> BiddingRound | None:
    """Start the next round unless one is open already (the database allows one open round per event)."""
    if BiddingRound.objects.filter(event=event, closed_at=None).exists():
        return None
    last = BiddingRound.objects.filter(event=event).order_by("-number").values_list("number", flat=True).first()
    try:
        with transaction.atomic():
            bidding_round = BiddingRound.objects.create(
                event=event,
                number=(last or 0) + 1,
                starts_at=now,
                ends_at=now + timedelta(seconds=live.round_seconds),
            )
    except IntegrityError:  # another transaction opened one at the same moment
        return None
    bidding_round.event = event
    return bidding_round


def bidding_open(*, actor: User, event: Event, now: datetime | None = None) -> LiveNight:
    """Open bidding: rounds of LiveNight.round_seconds run back to back from now on."""
    now = now or timezone.now()
    with transaction.atomic():
        live = _live_for_update(event)
        if not live.bidding_open:
            live.bidding_open = True
            live.save(update_fields=["bidding_open", "updated_at"])
            feed.publish(event=event, kind="settings", data={"bidding_open": True})
        bidding_round = _round_start(event=event, live=live, now=now)
        if bidding_round is not None:
            feed.publish(event=event, kind="round", data={"closed": None, "open": round_summary(bidding_round)})
    return live


def bidding_close(*, actor: User, event: Event, now: datetime | None = None) -> LiveNight:
    """Close bidding now: the open round closes at once with the bids it has (the winner is picked as at a
    normal close) and no next round starts. Closing at once keeps the DJ's switch meaning what it says: from
    this moment no bid is taken."""
    now = now or timezone.now()
    with transaction.atomic():
        # The round row first, then LiveNight: the lock order of every bidding transaction.
        open_ids = list(
            BiddingRound.objects.select_for_update().filter(event=event, closed_at=None).values_list("id", flat=True)
        )
        live = _live_for_update(event)
        if live.bidding_open:
            live.bidding_open = False
            live.save(update_fields=["bidding_open", "updated_at"])
            feed.publish(event=event, kind="settings", data={"bidding_open": False})
        for round_id in open_ids:
            _round_close(round_id=round_id, now=now)
    return live


def _check_bid_input(*, amount_cents: object, client_request_id: object) -> None:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise BadBid("Enter the amount as a positive whole number of cents.", field="amount_cents")
    if not isinstance(client_request_id, str) or not 1 <= len(client_request_id) <= 64:
        raise BadBid("client_request_id must be 1 to 64 characters.", field="client_request_id")


def bid_place(
    *,
    event: Event,
    guest_id: uuid.UUID,
    guest_name: str = "",
    request_id: uuid.UUID,
    amount_cents: int,
    client_request_id: str,
    now: datetime | None = None,
) -> tuple[Bid, bool]:
    """Bid on an open request in the event's open round. Returns (bid, created): a retry with the same
    client_request_id returns the bid it made, created=False, even when the retry races the first attempt or the
    round has closed since. Refusals (BiddingError, 409): bidding is closed, round closed, bid too low, request no
    longer open.

    Every bid of an event waits in turn for its latest round's row lock (on SQLite, for the write lock), so what
    can be read before it is: the request and the event's bid settings, in one query. Under the lock: the round,
    the retry check, the leader, the insert, the request's top bid and the feed's sequence number."""
    _check_bid_input(amount_cents=amount_cents, client_request_id=client_request_id)
    live, request_status = hot_reads.settings_and_request_status(event_id=event.pk, request_id=request_id)
    live = live or LiveNight(event=event)
    guest_name = mask_profanity(guest_name)[:60]
    pledge = not card_payments_enabled()
    now = now or timezone.now()
    with transaction.atomic():
        # The latest round, locked: the closer's claim waits for this bid to commit, or this bid finds it closed.
        bidding_round = hot_reads.latest_round_locked(event.pk)
        # Looked up under the lock, so a retry racing its first attempt finds it here (the first attempt held the
        # lock), whichever round either landed in; every bid is inserted below, under this lock, after this check.
        previous = hot_reads.bid_of_client_request(
            event_id=event.pk, guest_id=guest_id, client_request_id=client_request_id
        )
        if previous is not None:
            return previous, False
        if bidding_round is None or (bidding_round.closed_at is not None and not live.bidding_open):
            raise BiddingError("bidding is closed", code="bidding_closed")
        if bidding_round.closed_at is not None or bidding_round.ends_at <= now:
            raise BiddingError("round closed", code="round_closed")
        if request_status is None:
            raise BadBid("No such request at this event.", field="request_id")
        if request_status not in OPEN_REQUEST_STATUSES or request_status == RequestStatus.PLAYING:
            raise BiddingError("this request is no longer open for bids", code="request_closed")
        bidding_round.event = event
        leader, standing = round_standing(bidding_round)
        minimum = min_next_bid_cents(live=live, highest_cents=leader and leader["amount_cents"])
        currency = event_currency(event)
        if amount_cents < minimum:
            raise BiddingError(f"bid too low (minimum is {format_cents(minimum, currency)})", code="bid_too_low")
        # No savepoint for a duplicate: the retry check above ran under the lock every insert is made under.
        bid = Bid.objects.create(
            round=bidding_round,
            request_id=request_id,
            guest_id=guest_id,
            guest_name=guest_name,
            amount_cents=amount_cents,
            currency=currency,
            client_request_id=client_request_id,
            payment=BidPayment.PLEDGE if pledge else BidPayment.REQUIRES_PAYMENT,
        )
        if pledge:
            _bid_stands(bid=bid, bidding_round=bidding_round, live=live, leader=leader, standing=standing)
    return bid, True


def _bid_stands(*, bid: Bid, bidding_round: BiddingRound, live: LiveNight, leader: dict | None, standing: int) -> None:
    """A bid now counts in its round (a pledge at once, a card bid once authorized): raise its request's top
    bid and tell everyone. `leader` and `standing` are the round's leading standing bid (round_standing()) and
    how many bids stood before this one; the message carries the tag of the guest whose lead it took (None when
    it took no one's: the guest led already, or an earlier bid of the same amount keeps the lead)."""
    top = _raise_top_bid(request_id=bid.request_id, amount_cents=bid.amount_cents)
    took_the_lead = leader is None or bid.amount_cents > leader["amount_cents"]
    outbid = None
    if took_the_lead and leader is not None and leader["guest_id"] != bid.guest_id:
        outbid = guest_tag(leader["guest_id"])
    if took_the_lead:
        leader = {"request_id": bid.request_id, "amount_cents": bid.amount_cents, "guest_name": bid.guest_name}
    feed.publish(
        event=bidding_round.event,
        kind="bid",
        data={
            "bid": {
                "id": bid.id,
                "request_id": bid.request_id,
                "amount_cents": bid.amount_cents,
                "guest_name": bid.guest_name,
                "guest_tag": guest_tag(bid.guest_id),
            },
            "request": {"id": bid.request_id, "top_bid_cents": top},
            "outbid_guest_tag": outbid,
            "round": round_summary_of(bidding_round, live=live, leader=leader, standing=standing + 1),
        },
    )


def _raise_top_bid(*, request_id: uuid.UUID, amount_cents: int) -> int:
    """Raise the request's top bid to this amount if it is higher, and return the top bid: one UPDATE … RETURNING
    (PostgreSQL; SQLite from 3.35), which the ORM's update() cannot say."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_songrequest SET top_bid_cents = CASE WHEN top_bid_cents < %s THEN %s ELSE top_bid_cents "
            "END WHERE id = %s RETURNING top_bid_cents",
            [amount_cents, amount_cents, SongRequest._meta.pk.get_db_prep_value(request_id, connection)],
        )
        return cursor.fetchone()[0]


def rounds_close_due(*, now: datetime) -> int:
    """Close every round, of every event, whose end has passed; returns how many this call closed. Each round
    closes in its own transaction, claimed by a conditional update, so two workers running this at once
    close each round once, and a run after a crash picks up what is left."""
    closed = 0
    for round_id in BiddingRound.objects.filter(closed_at=None, ends_at__lte=now).values_list("id", flat=True):
        try:
            with transaction.atomic():
                closed += _round_close(round_id=round_id, now=now)
        except Exception:  # one broken round must not keep the others open; the next run retries it
            logger.exception("closing a bidding round failed", extra={"round_id": str(round_id)})
    return closed


def _round_close(*, round_id: uuid.UUID, now: datetime) -> bool:
    """Claim the round, pick the winner, move its song up next, start the next round if bidding is open.
    Runs inside the caller's transaction; False when someone else closed the round first."""
    if not BiddingRound.objects.filter(id=round_id, closed_at=None).update(closed_at=now):
        return False
    bidding_round = BiddingRound.objects.select_related("event").get(id=round_id)
    event = bidding_round.event
    winner = (
        bidding_round.bids.filter(payment__in=WINNABLE_PAYMENTS)
        .order_by("-amount_cents", "created_at", "id")
        .select_related("request")
        .first()
    )
    losers = bidding_round.bids.all()
    if winner is not None:
        losers = losers.exclude(pk=winner.pk)
        Bid.objects.filter(pk=winner.pk).update(outcome=BidOutcome.WON)
        BiddingRound.objects.filter(pk=round_id).update(winning_bid=winner)
        _request_move_up_next(event=event, request_id=winner.request_id, now=now)
    losers.update(outcome=BidOutcome.LOST)
    live = _live_for_update(event)
    next_round = _round_start(event=event, live=live, now=now) if live.bidding_open else None
    feed.publish(
        event=event,
        kind="round",
        data={
            "closed": {"id": round_id, "number": bidding_round.number, "winner": _winner_data(winner)},
            "open": round_summary(next_round, live=live) if next_round else None,
        },
    )
    winning_bid_id = winner.pk if winner else None
    transaction.on_commit(
        lambda: round_closed.send(
            sender=BiddingRound, round_id=round_id, event_id=event.pk, winning_bid_id=winning_bid_id
        )
    )
    return True


def _winner_data(winner: Bid | None) -> dict | None:
    if winner is None:
        return None
    return {
        "bid_id": winner.pk,
        "request_id": winner.request_id,
        "title": winner.request.title,
        "artist": winner.request.artist,
        "amount_cents": winner.amount_cents,
        "guest_name": winner.guest_name,
        "guest_tag": guest_tag(winner.guest_id),
    }


def _request_move_up_next(*, event: Event, request_id: uuid.UUID, now: datetime) -> None:
    moved = SongRequest.objects.filter(
        pk=request_id, status__in=request_statuses_leading_to(RequestStatus.UP_NEXT)
    ).update(status=RequestStatus.UP_NEXT, status_changed_at=now)
    if moved:
        feed.publish(event=event, kind="request", data={"id": request_id, "status": RequestStatus.UP_NEXT})


def round_winner_replace(*, round_id: uuid.UUID, failed_bid_id: uuid.UUID, now: datetime | None = None) -> Bid | None:
    """The winner's payment failed: the next highest bid that can still pay wins instead (its song moves up
    next; the failed winner's song goes back to accepted if it was moved for this round). Returns the new
    winner, or None. Safe to call twice: only the current winner can be replaced."""
    now = now or timezone.now()
    with transaction.atomic():
        bidding_round = BiddingRound.objects.select_for_update().select_related("event").get(id=round_id)
        if bidding_round.winning_bid_id != failed_bid_id:
            return Bid.objects.filter(pk=bidding_round.winning_bid_id).first()
        failed = Bid.objects.get(pk=failed_bid_id)
        Bid.objects.filter(pk=failed.pk).update(outcome=BidOutcome.LOST)
        winner = (
            bidding_round.bids.filter(payment__in=WINNABLE_PAYMENTS)
            .exclude(pk=failed.pk)
            .order_by("-amount_cents", "created_at", "id")
            .select_related("request")
            .first()
        )
        BiddingRound.objects.filter(pk=round_id).update(winning_bid=winner)
        event = bidding_round.event
        if winner is None or winner.request_id != failed.request_id:
            reverted = SongRequest.objects.filter(pk=failed.request_id, status=RequestStatus.UP_NEXT).update(
                status=RequestStatus.ACCEPTED, status_changed_at=now
            )
            if reverted:
                feed.publish(event=event, kind="request", data={"id": failed.request_id, "status": "accepted"})
        if winner is not None:
            Bid.objects.filter(pk=winner.pk).update(outcome=BidOutcome.WON)
            _request_move_up_next(event=event, request_id=winner.request_id, now=now)
        feed.publish(
            event=event,
            kind="round",
            data={
                "closed": {"id": round_id, "number": bidding_round.number, "winner": _winner_data(winner)},
                "open": None,
            },
        )
    return winner


def bid_payment_set(
    *, bid_id: uuid.UUID, payment: str, payment_intent_id: str = "", error: str = "", client_secret: str = ""
) -> bool:
    """Move a bid's payment along PAYMENT_TRANSITIONS (billing calls this from webhooks and tasks). A move the
    machine does not allow from the current state is ignored and returns False, so a late or repeated report
    never moves a bid backwards. A card authorized after its round closed does not stand (billing releases it);
    one authorized while the round is open stands at once."""
    fields: dict = {"payment": payment, "updated_at": timezone.now()}
    if payment_intent_id:
        fields["payment_intent_id"] = payment_intent_id
    if client_secret:
        fields["payment_client_secret"] = client_secret
    if error:
        fields["payment_error"] = error[:255]
    with transaction.atomic():
        bid = Bid.objects.select_related("round", "round__event").get(pk=bid_id)
        bidding_round = BiddingRound.objects.select_for_update().get(pk=bid.round_id)
        movable = Bid.objects.filter(pk=bid_id, payment__in=payments_leading_to(payment))
        if payment == BidPayment.AUTHORIZED:
            # A declined card retried after the round closed must not come back to life.
            movable = movable.exclude(payment=BidPayment.FAILED, outcome__in=[BidOutcome.WON, BidOutcome.LOST])
        if not movable.update(**fields):
            return False
        if payment == BidPayment.AUTHORIZED and bidding_round.closed_at is None:
            bidding_round.event = bid.round.event
            live = LiveNight.objects.filter(event=bidding_round.event).first() or LiveNight()
            leader, standing = round_standing(bidding_round, excluding=bid.pk)
            bid.refresh_from_db()
            _bid_stands(bid=bid, bidding_round=bidding_round, live=live, leader=leader, standing=standing)
    return True


def bid_payment_intent_attach(*, bid_id: uuid.UUID, payment_intent_id: str, client_secret: str) -> None:
    """Remember the PaymentIntent billing made for a card bid (its client secret goes to the guest's page).
    The first one stays: billing's idempotency key makes a second call return the same PaymentIntent anyway."""
    Bid.objects.filter(pk=bid_id, payment_intent_id="").update(
        payment_intent_id=payment_intent_id, payment_client_secret=client_secret, updated_at=timezone.now()
    )


def _bid_for_staff(*, bid: Bid, allowed: tuple[str, ...], action: str) -> Bid:
    bid = Bid.objects.select_related("request", "round").get(pk=bid.pk)
    if bid.outcome != BidOutcome.WON:
        raise BiddingError(f"Only a winning bid can be {action}.", code="not_winner")
    if bid.payment not in allowed:
        raise BiddingError(
            f"This bid cannot be {action}: its payment is {BidPayment(bid.payment).label.lower()}.",
            code="invalid_payment_state",
        )
    return bid


def bid_mark_paid(*, actor: User, bid: Bid) -> Bid:
    """A winning pledge was paid at the booth."""
    with transaction.atomic():
        bid = _bid_for_staff(bid=bid, allowed=(BidPayment.PLEDGE,), action="marked paid")
        Bid.objects.filter(pk=bid.pk, payment=BidPayment.PLEDGE).update(payment=BidPayment.PAID_AT_BOOTH)
        bid.refresh_from_db()
    return bid


def bid_refund(*, actor: User, bid: Bid) -> Bid:
    """Give the money back for a winning bid whose song was not played. Cash paid at the booth is marked
    refunded at once; a card charge is refunded by billing (after commit), which then marks it refunded."""
    with transaction.atomic():
        bid = _bid_for_staff(bid=bid, allowed=(BidPayment.PAID_AT_BOOTH, BidPayment.CAPTURED), action="refunded")
        if bid.request.status == RequestStatus.PLAYED:
            raise BiddingError("This song was played; its bid is not refunded.", code="song_played")
        if bid.payment == BidPayment.PAID_AT_BOOTH:
            Bid.objects.filter(pk=bid.pk, payment=BidPayment.PAID_AT_BOOTH).update(payment=BidPayment.REFUNDED)
            bid.refresh_from_db()
        else:
            bid_id = bid.pk
            transaction.on_commit(lambda: bid_refund_requested.send(sender=Bid, bid_id=bid_id))
    return bid
