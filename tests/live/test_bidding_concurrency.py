"""Concurrent bids and closers, with threads on real connections, on PostgreSQL. (The SQLite test database is
an in-memory shared cache whose table locks fail at once instead of waiting; benchmarks/bids.py runs the same
load on an SQLite file in WAL mode, as production does.)"""

import datetime as dt
import itertools
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Bid, BiddingRound, LiveNight, SongRequest
from events.services import BiddingError, bid_place, bidding_open, rounds_close_due
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_threads(target, arguments) -> list:
    barrier = threading.Barrier(len(arguments))
    outcomes: list = []

    def work(argument):
        try:
            barrier.wait()
            outcomes.append(target(argument))
        except BiddingError as refusal:
            outcomes.append(("refused", refusal.code))
        except Exception as error:  # anything else is a bug: it shows in the assertions
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def night():
    event = EventFactory()
    LiveNight.objects.create(event=event, min_bid_cents=500, min_increment_cents=100)
    bidding_open(actor=UserFactory(role="staff"), event=event)
    requests = [
        SongRequest.objects.create(event=event, guest_id=uuid.uuid4(), title=f"Song {n}", normalized=f"song {n}")
        for n in range(5)
    ]
    return event, requests


def test_fifty_concurrent_bids_are_each_stored_or_refused_and_the_leader_is_the_highest(night):
    event, requests = night

    def place(n):
        bid, created = bid_place(
            event=event,
            guest_id=uuid.uuid4(),
            request_id=requests[n % 5].pk,
            amount_cents=500 + 100 * n,
            client_request_id=f"bid-{n}",
        )
        return ("stored", bid.amount_cents, created)

    outcomes = run_threads(place, list(range(50)))
    stored = [outcome for outcome in outcomes if outcome[0] == "stored"]
    refused = [outcome for outcome in outcomes if outcome[0] == "refused"]
    assert len(stored) + len(refused) == 50, outcomes
    assert {code for _, code in refused} <= {"bid_too_low"}
    assert Bid.objects.count() == len(stored) >= 1
    amounts = sorted(Bid.objects.values_list("amount_cents", flat=True))
    # Each accepted bid beat every bid before it by the increment.
    assert all(b - a >= 100 for a, b in itertools.pairwise(amounts))
    leader = Bid.objects.order_by("-amount_cents", "created_at").first()
    assert leader.amount_cents == max(amount for _, amount, _ in stored)
    rounds_close_due(now=timezone.now() + dt.timedelta(minutes=2))
    assert list(Bid.objects.filter(outcome="won").values_list("pk", flat=True)) == [leader.pk]
    top = SongRequest.objects.get(pk=leader.request_id).top_bid_cents
    assert top == leader.amount_cents


def test_the_same_bid_posted_concurrently_is_stored_once(night):
    event, requests = night
    guest = uuid.uuid4()

    def place(_):
        bid, created = bid_place(
            event=event, guest_id=guest, request_id=requests[0].pk, amount_cents=700, client_request_id="same"
        )
        return (bid.pk, created)

    outcomes = run_threads(place, list(range(8)))
    assert len({bid_id for bid_id, _ in outcomes}) == 1, outcomes
    assert sorted(created for _, created in outcomes) == [False] * 7 + [True]
    assert Bid.objects.count() == 1


def test_two_concurrent_closers_close_a_round_once(night):
    event, requests = night
    bid_place(event=event, guest_id=uuid.uuid4(), request_id=requests[0].pk, amount_cents=900, client_request_id="a")
    closing_at = timezone.now() + dt.timedelta(minutes=2)
    outcomes = run_threads(lambda _: rounds_close_due(now=closing_at), [0, 1])
    assert sorted(outcomes) == [0, 1]
    assert BiddingRound.objects.filter(event=event).count() == 2
    assert BiddingRound.objects.filter(event=event, closed_at=None, number=2).count() == 1
    assert Bid.objects.get().outcome == "won"


def test_bids_racing_the_close_are_counted_before_the_winner_or_refused(night):
    event, requests = night
    BiddingRound.objects.filter(event=event).update(ends_at=timezone.now() + dt.timedelta(milliseconds=300))
    first_round = BiddingRound.objects.get(event=event)

    def act(n):
        if n == 0:
            while timezone.now() < first_round.ends_at:
                pass
            return ("closed", rounds_close_due(now=timezone.now()))
        deadline = timezone.now() + dt.timedelta(milliseconds=600)
        placed = []
        k = 0
        while timezone.now() < deadline:
            try:
                bid, _ = bid_place(
                    event=event,
                    guest_id=uuid.uuid4(),
                    request_id=requests[n % 5].pk,
                    amount_cents=500 + 10_000 * n + k,
                    client_request_id=f"{n}-{k}",
                )
                placed.append(bid.pk)
            except BiddingError as refusal:
                assert refusal.code in {"round_closed", "bid_too_low", "bidding_closed"}, refusal.code
            k += 1
        return ("bids", placed)

    outcomes = run_threads(act, list(range(6)))
    assert not [outcome for outcome in outcomes if outcome[0] == "error"], outcomes
    first_round.refresh_from_db()
    assert first_round.closed_at is not None
    in_first = Bid.objects.filter(round=first_round)
    # Every bid of the first round was in before the winner was picked: each got an outcome at the close.
    assert not in_first.filter(outcome="open").exists()
    best = in_first.order_by("-amount_cents", "created_at").first()
    assert first_round.winning_bid_id == (best.pk if best else None)
    placed = {bid_id for kind, ids in outcomes if kind == "bids" for bid_id in ids}
    assert placed == set(Bid.objects.values_list("pk", flat=True))
