"""Guests and DJs acting at the same moment, from threads, on PostgreSQL. (SQLite serializes writers with
IMMEDIATE transactions; its in-memory test database, shared between threads, fails them with "database table
is locked" instead of waiting, so these tests need PostgreSQL.)"""

import threading
import uuid

import pytest
from django.db import connection

from events.models import LiveNight, SongRequest, Vote
from events.services import RequestsRefused, song_request_create, song_request_set_status, song_request_vote
from tests.factories import EventFactory, LiveNightFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls) -> list:
    """Run the calls in threads released at once; each outcome is its result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the assertions say which errors are expected
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def night():
    return LiveNightFactory(event=EventFactory()).event


def test_two_guests_asking_for_one_song_at_once_make_one_request_with_two_votes(night):
    guests = [uuid.uuid4(), uuid.uuid4()]
    outcomes = run_together(
        *(
            lambda guest=guest: song_request_create(
                event=night, guest_id=guest, title="Mr. Brightside", artist="Killers"
            )
            for guest in guests
        )
    )
    assert sorted(created for _, created in outcomes) == [False, True]
    song_request = SongRequest.objects.get()
    assert song_request.votes_count == 2
    assert set(Vote.objects.values_list("guest_id", flat=True)) == set(guests)


def test_one_guest_sending_twice_at_once_is_held_to_the_limit(night):
    LiveNight.objects.filter(event=night).update(requests_per_guest=1)
    guest = uuid.uuid4()
    outcomes = run_together(
        *(lambda title=title: song_request_create(event=night, guest_id=guest, title=title) for title in ("A", "B"))
    )
    refusals = [outcome for outcome in outcomes if isinstance(outcome, RequestsRefused)]
    assert len(refusals) == 1, outcomes
    assert refusals[0].code == "request_limit"
    assert SongRequest.objects.count() == 1


def test_votes_cast_at_the_same_moment_are_all_counted(night):
    song_request, _ = song_request_create(event=night, guest_id=uuid.uuid4(), title="September")
    voters = [uuid.uuid4() for _ in range(8)]
    outcomes = run_together(
        *(
            lambda voter=voter: song_request_vote(event=night, guest_id=voter, request_id=song_request.pk)
            for voter in voters
        )
    )
    assert all(isinstance(outcome, SongRequest) for outcome in outcomes), outcomes
    assert SongRequest.objects.get(pk=song_request.pk).votes_count == 9
    assert Vote.objects.filter(request=song_request).count() == 9


def test_two_djs_acting_on_one_request_at_once_get_one_result(night):
    djs = [UserFactory(role="staff"), UserFactory(role="owner")]
    song_request, _ = song_request_create(event=night, guest_id=uuid.uuid4(), title="September")
    outcomes = run_together(
        *(
            lambda dj=dj: song_request_set_status(actor=dj, event=night, request_id=song_request.pk, status="playing")
            for dj in djs
        )
    )
    refusals = [outcome for outcome in outcomes if isinstance(outcome, RequestsRefused)]
    assert len(refusals) == 1, outcomes
    assert refusals[0].message == "Already marked playing."
    assert LiveNight.objects.get(event=night).now_playing_id == song_request.pk


def test_two_djs_starting_two_songs_at_once_leave_one_playing(night):
    dj = UserFactory(role="staff")
    songs = [song_request_create(event=night, guest_id=uuid.uuid4(), title=title)[0] for title in ("One", "Two")]
    outcomes = run_together(
        *(
            lambda song=song: song_request_set_status(actor=dj, event=night, request_id=song.pk, status="playing")
            for song in songs
        )
    )
    playing = list(SongRequest.objects.filter(status="playing").values_list("pk", flat=True))
    assert len(playing) == 1, outcomes
    assert LiveNight.objects.get(event=night).now_playing_id == playing[0]
