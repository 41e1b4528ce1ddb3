"""services.song_request_vote: one vote per guest per request, open requests only."""

import uuid

import pytest

from events.models import SongRequest, Vote
from events.services import RequestNotFound, RequestsRefused, song_request_create, song_request_vote

pytestmark = pytest.mark.django_db


def test_a_guest_votes_once_and_voting_again_changes_nothing(live_night):
    song_request, _ = song_request_create(event=live_night.event, guest_id=uuid.uuid4(), title="September")
    voter = uuid.uuid4()
    for _ in range(2):
        voted = song_request_vote(event=live_night.event, guest_id=voter, request_id=song_request.pk)
        assert voted.votes_count == 2
    assert Vote.objects.filter(request=song_request).count() == 2


def test_only_open_requests_take_votes(live_night):
    song_request, _ = song_request_create(event=live_night.event, guest_id=uuid.uuid4(), title="September")
    SongRequest.objects.filter(pk=song_request.pk).update(status="played")
    with pytest.raises(RequestsRefused, match="it is played") as refusal:
        song_request_vote(event=live_night.event, guest_id=uuid.uuid4(), request_id=song_request.pk)
    assert (refusal.value.code, refusal.value.http_status) == ("request_not_open", 409)
    assert SongRequest.objects.get(pk=song_request.pk).votes_count == 1


def test_a_request_of_another_event_is_not_found(live_night, event_b):
    song_request, _ = song_request_create(event=live_night.event, guest_id=uuid.uuid4(), title="September")
    with pytest.raises(RequestNotFound):
        song_request_vote(event=event_b, guest_id=uuid.uuid4(), request_id=song_request.pk)
