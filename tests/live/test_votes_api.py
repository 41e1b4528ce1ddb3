"""POST /api/v1/events/<slug>/requests/<id>/vote/."""

import uuid

import pytest

from events.models import SongRequest
from events.services import song_request_create

pytestmark = pytest.mark.django_db


def vote_url(song_request) -> str:
    return f"/api/v1/events/{song_request.event.slug}/requests/{song_request.pk}/vote/"


@pytest.fixture
def song(live_night):
    return song_request_create(event=live_night.event, guest_id=uuid.uuid4(), title="September")[0]


def test_a_vote_answers_the_new_count(song, guest_api):
    answer = guest_api().post(vote_url(song))
    assert answer.status_code == 200
    assert answer.json() == {"id": str(song.pk), "votes": 2, "voted": True}


def test_voting_twice_is_the_same_vote(song, guest_api):
    api = guest_api()
    answers = [api.post(vote_url(song)) for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[1].json()["votes"] == 2
    assert SongRequest.objects.get(pk=song.pk).votes_count == 2


def test_a_played_song_takes_no_votes(song, guest_api):
    SongRequest.objects.filter(pk=song.pk).update(status="played")
    answer = guest_api().post(vote_url(song))
    assert answer.status_code == 409
    assert answer.json()["code"] == "request_not_open"


def test_an_unknown_request_or_another_events_request_is_404(song, guest_api, event_b):
    assert guest_api().post(f"/api/v1/events/{song.event.slug}/requests/{uuid.uuid4()}/vote/").status_code == 404
    assert guest_api().post(f"/api/v1/events/{event_b.slug}/requests/{song.pk}/vote/").status_code == 404
