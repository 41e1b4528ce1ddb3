"""Bidding in pledge mode (no Stripe keys), through the services: minimum bid and increment, retries, refusals,
the leader, and the staff's booth and refund actions."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from events.bidding_selectors import leader_board, open_round_summary, unplayed_winning_bids
from events.models import Bid, LiveNight, SongRequest
from events.services import (
    BiddingError,
    bid_mark_paid,
    bid_place,
    bid_refund,
    bidding_close,
    bidding_open,
    rounds_close_due,
)

pytestmark = pytest.mark.django_db


def song(event, title: str, status: str = "requested") -> SongRequest:
    return SongRequest.objects.create(
        event=event, guest_id=uuid.uuid4(), title=title, normalized=title.lower(), status=status
    )


def bid(event, request, amount_cents: int, *, guest=None, key: str | None = None, name: str = ""):
    return bid_place(
        event=event,
        guest_id=guest or uuid.uuid4(),
        guest_name=name,
        request_id=request.pk,
        amount_cents=amount_cents,
        client_request_id=key or uuid.uuid4().hex,
    )


@pytest.fixture
def night(event_a, staff_dj):
    LiveNight.objects.create(event=event_a, min_bid_cents=500, min_increment_cents=100)
    bidding_open(actor=staff_dj, event=event_a)
    return event_a


def test_opening_bidding_starts_a_round_of_the_configured_length(event_a, staff_dj):
    LiveNight.objects.create(event=event_a, round_seconds=90)
    assert open_round_summary(event_a) is None
    bidding_open(actor=staff_dj, event=event_a)
    bidding_open(actor=staff_dj, event=event_a)  # twice: still one round
    summary = open_round_summary(event_a)
    assert summary["number"] == 1
    assert summary["leader"] is None
    assert summary["min_next_bid_cents"] == 500
    assert summary["currency"] == "USD"
    assert dt.timedelta(seconds=89) < summary["ends_at"] - timezone.now() <= dt.timedelta(seconds=90)


def test_a_pledge_leads_and_raises_the_requests_top_bid(night):
    request = song(night, "September")
    placed, created = bid(night, request, 700, name="Ana")
    assert created
    assert (placed.payment, placed.outcome, placed.currency) == ("pledge", "open", "USD")
    summary = open_round_summary(night)
    assert summary["leader"] == {"request_id": request.pk, "amount_cents": 700, "guest_name": "Ana"}
    assert (summary["bids_count"], summary["min_next_bid_cents"]) == (1, 800)
    request.refresh_from_db()
    assert request.top_bid_cents == 700


def test_a_bid_under_the_minimum_is_refused_with_the_minimum(night):
    request = song(night, "September")
    with pytest.raises(BiddingError, match=r"bid too low \(minimum is \$5.00\)") as refused:
        bid(night, request, 499)
    assert refused.value.http_status == 409


def test_a_bid_must_beat_the_leader_by_the_increment(night):
    first, second = song(night, "September"), song(night, "Africa")
    bid(night, first, 1000)
    with pytest.raises(BiddingError, match=r"minimum is \$11.00"):
        bid(night, second, 1050)
    assert bid(night, second, 1100)[1]


def test_a_retry_with_the_same_client_request_id_returns_the_same_bid(night):
    request, guest = song(night, "September"), uuid.uuid4()
    first, created = bid(night, request, 600, guest=guest, key="k-1")
    again, created_again = bid(night, request, 600, guest=guest, key="k-1")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Bid.objects.count() == 1


def test_the_same_client_request_id_from_another_guest_is_another_bid(night):
    request = song(night, "September")
    bid(night, request, 600, key="k-1")
    assert bid(night, request, 700, key="k-1")[1]


def test_bidding_on_a_request_of_another_event_names_the_field(night, event_b):
    with pytest.raises(BiddingError) as refused:
        bid(night, song(event_b, "Elsewhere"), 600)
    assert (refused.value.http_status, refused.value.field) == (400, "request_id")


def test_a_played_or_declined_request_takes_no_bids(night):
    for status in ("played", "declined", "playing"):
        with pytest.raises(BiddingError, match="no longer open") as refused:
            bid(night, song(night, f"Song {status}", status=status), 600)
        assert refused.value.http_status == 409


@pytest.mark.parametrize(("amount", "field"), [(0, "amount_cents"), (-5, "amount_cents"), ("600", "amount_cents")])
def test_bad_input_names_the_field(night, amount, field):
    with pytest.raises(BiddingError) as refused:
        bid(night, song(night, "September"), amount)
    assert (refused.value.http_status, refused.value.field) == (400, field)


def test_a_round_past_its_end_refuses_bids_before_the_closer_runs(night):
    request = song(night, "September")
    later = timezone.now() + dt.timedelta(minutes=2)
    with pytest.raises(BiddingError, match="round closed") as refused:
        bid_place(
            event=night,
            guest_id=uuid.uuid4(),
            request_id=request.pk,
            amount_cents=600,
            client_request_id="x",
            now=later,
        )
    assert refused.value.code == "round_closed"


def test_bids_are_refused_when_bidding_is_closed(event_a, staff_dj):
    with pytest.raises(BiddingError, match="bidding is closed"):
        bid(event_a, song(event_a, "September"), 600)


def test_closing_bidding_closes_the_round_at_once_with_its_winner(night, staff_dj):
    request = song(night, "September")
    placed, _ = bid(night, request, 900)
    bidding_close(actor=staff_dj, event=night)
    assert open_round_summary(night) is None
    placed.refresh_from_db()
    request.refresh_from_db()
    assert (placed.outcome, request.status) == ("won", "up_next")
    assert rounds_close_due(now=timezone.now() + dt.timedelta(hours=1)) == 0
    with pytest.raises(BiddingError, match="bidding is closed"):
        bid(night, request, 2000)


def test_leader_board_ranks_requests_by_their_top_bid(night):
    first, second, third = song(night, "September"), song(night, "Africa"), song(night, "Jolene")
    bid(night, first, 600)
    bid(night, second, 700)
    bid(night, first, 800)
    bid(night, third, 900)
    board = leader_board(night.bidding_rounds.get())
    assert [(row["title"], row["top_bid_cents"], row["bids_count"]) for row in board] == [
        ("Jolene", 900, 1),
        ("September", 800, 2),
        ("Africa", 700, 1),
    ]


def test_staff_mark_a_winning_pledge_paid_and_refund_it_if_the_song_is_not_played(night, staff_dj):
    request = song(night, "September")
    loser, _ = bid(night, request, 600)
    winner, _ = bid(night, request, 700)
    rounds_close_due(now=timezone.now() + dt.timedelta(minutes=2))
    with pytest.raises(BiddingError, match="Only a winning bid"):
        bid_mark_paid(actor=staff_dj, bid=loser)
    paid = bid_mark_paid(actor=staff_dj, bid=winner)
    assert paid.payment == "paid_at_booth"
    with pytest.raises(BiddingError, match="cannot be marked paid"):
        bid_mark_paid(actor=staff_dj, bid=winner)
    assert list(unplayed_winning_bids(night)) == [paid]
    assert bid_refund(actor=staff_dj, bid=paid).payment == "refunded"
    with pytest.raises(BiddingError, match="cannot be refunded"):
        bid_refund(actor=staff_dj, bid=paid)


def test_a_played_song_is_not_refunded_nor_flagged(night, staff_dj):
    request = song(night, "September")
    winner, _ = bid(night, request, 700)
    rounds_close_due(now=timezone.now() + dt.timedelta(minutes=2))
    bid_mark_paid(actor=staff_dj, bid=winner)
    SongRequest.objects.filter(pk=request.pk).update(status="played")
    assert list(unplayed_winning_bids(night)) == []
    with pytest.raises(BiddingError, match="was played"):
        bid_refund(actor=staff_dj, bid=winner)
