"""Closing rounds: the highest bid wins (ties: the earliest), its song moves up next, the next round starts while
bidding is open, every due round of every event closes, and a second run closes nothing."""

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from events.models import Bid, BiddingRound, LiveNight, SongRequest
from events.services import bid_place, bidding_open, rounds_close_due
from events.signals import round_closed
from events.tasks import close_due_rounds
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def song(event, title: str, status: str = "requested") -> SongRequest:
    return SongRequest.objects.create(
        event=event, guest_id=uuid.uuid4(), title=title, normalized=title.lower(), status=status
    )


def bid(event, request, amount_cents: int):
    return bid_place(
        event=event, guest_id=uuid.uuid4(), request_id=request.pk, amount_cents=amount_cents, client_request_id="c"
    )[0]


@pytest.fixture
def night(event_a, staff_dj):
    LiveNight.objects.create(event=event_a, min_bid_cents=500, min_increment_cents=100)
    bidding_open(actor=staff_dj, event=event_a)
    return event_a


def after_the_round() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=61)


def test_the_highest_bid_wins_its_song_moves_up_next_and_the_next_round_starts(night):
    september, africa = song(night, "September", status="accepted"), song(night, "Africa")
    low, high = bid(night, september, 600), bid(night, africa, 900)
    closing_at = after_the_round()
    assert rounds_close_due(now=closing_at) == 1
    first = BiddingRound.objects.get(event=night, number=1)
    assert (first.closed_at, first.winning_bid_id) == (closing_at, high.pk)
    assert dict(Bid.objects.values_list("pk", "outcome")) == {low.pk: "lost", high.pk: "won"}
    assert dict(SongRequest.objects.values_list("title", "status")) == {"September": "accepted", "Africa": "up_next"}
    second = BiddingRound.objects.get(event=night, closed_at=None)
    assert (second.number, second.starts_at, second.ends_at) == (2, closing_at, closing_at + dt.timedelta(seconds=60))


def test_ties_go_to_the_earliest_bid(night):
    LiveNight.objects.filter(event=night).update(min_increment_cents=0)
    first = bid(night, song(night, "September"), 700)
    bid(night, song(night, "Africa"), 700)
    rounds_close_due(now=after_the_round())
    assert BiddingRound.objects.get(number=1).winning_bid_id == first.pk


def test_a_round_without_bids_closes_without_a_winner(night):
    assert rounds_close_due(now=after_the_round()) == 1
    assert BiddingRound.objects.get(number=1).winning_bid is None
    assert BiddingRound.objects.filter(closed_at=None).count() == 1


def test_a_song_that_is_playing_stays_playing_when_it_wins(night):
    request = song(night, "September")
    bid(night, request, 600)
    SongRequest.objects.filter(pk=request.pk).update(status="playing")
    rounds_close_due(now=after_the_round())
    request.refresh_from_db()
    assert request.status == "playing"


def test_every_due_round_of_every_event_closes_and_a_second_run_closes_nothing(
    night, staff_dj, django_capture_on_commit_callbacks
):
    others = [EventFactory() for _ in range(3)]
    for event in others:
        bidding_open(actor=staff_dj, event=event)
    received = []

    def receiver(**kwargs):
        received.append(kwargs["round_id"])

    round_closed.connect(receiver)
    try:
        closing_at = after_the_round()
        with django_capture_on_commit_callbacks(execute=True):
            assert rounds_close_due(now=closing_at) == 4
            assert rounds_close_due(now=closing_at) == 0
    finally:
        round_closed.disconnect(receiver)
    assert BiddingRound.objects.filter(closed_at=closing_at).count() == 4
    assert BiddingRound.objects.filter(closed_at=None, number=2).count() == 4
    assert len(received) == 4  # once per round, after commit


def test_a_round_not_yet_ended_stays_open(night):
    assert rounds_close_due(now=timezone.now()) == 0


def test_no_next_round_when_bidding_was_closed_in_the_meantime(night):
    LiveNight.objects.filter(event=night).update(bidding_open=False)
    rounds_close_due(now=after_the_round())
    assert not BiddingRound.objects.filter(closed_at=None).exists()


def test_the_task_closes_due_rounds(night):
    BiddingRound.objects.filter(event=night).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    assert close_due_rounds() == 1
    assert close_due_rounds() == 0


def test_setup_schedules_declares_the_round_closer_every_minute(db):
    call_command("setup_schedules")
    call_command("setup_schedules")
    schedule = Schedule.objects.get(name="djbiz:events.close_rounds")
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == ("events.tasks.close_due_rounds", "I", 1)
