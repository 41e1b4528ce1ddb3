"""services.song_request_set_status: the DJ moves requests along; now playing; staff only; feed messages."""

import uuid

import pytest

from events.models import LiveNight, SongRequest
from events.services import (
    RequestNotFound,
    RequestsError,
    RequestsForbidden,
    RequestsRefused,
    song_request_create,
    song_request_set_status,
)

pytestmark = pytest.mark.django_db


def ask(event, title):
    return song_request_create(event=event, guest_id=uuid.uuid4(), title=title)[0]


def move(actor, song_request, status, **kwargs):
    return song_request_set_status(
        actor=actor, event=song_request.event, request_id=song_request.pk, status=status, **kwargs
    )


def test_the_dj_accepts_then_plays_then_marks_played(live_night, staff_dj):
    song_request = ask(live_night.event, "September")
    assert move(staff_dj, song_request, "accepted").status == "accepted"
    playing = move(staff_dj, song_request, "playing")
    assert LiveNight.objects.get(pk=live_night.pk).now_playing_id == playing.pk
    played = move(staff_dj, song_request, "played")
    assert played.status == "played"
    assert played.played_at is not None
    assert LiveNight.objects.get(pk=live_night.pk).now_playing_id is None


def test_playing_a_song_marks_the_one_before_played(live_night, owner):
    first, second = ask(live_night.event, "One"), ask(live_night.event, "Two")
    move(owner, first, "playing")
    move(owner, second, "playing")
    first.refresh_from_db()
    assert first.status == "played"
    assert first.played_at is not None
    assert LiveNight.objects.get(pk=live_night.pk).now_playing_id == second.pk


def test_a_declined_request_keeps_its_reason(live_night, staff_dj):
    declined = move(staff_dj, ask(live_night.event, "Baby Shark"), "declined", reason="Not tonight")
    assert (declined.status, declined.decline_reason) == ("declined", "Not tonight")


def test_a_move_the_pipeline_does_not_allow_is_refused_with_what_happened(live_night, staff_dj):
    song_request = ask(live_night.event, "September")
    move(staff_dj, song_request, "playing")
    move(staff_dj, song_request, "played")
    with pytest.raises(RequestsRefused, match="Already marked played") as refusal:
        move(staff_dj, song_request, "played")
    assert (refusal.value.code, refusal.value.http_status) == ("status_conflict", 409)
    with pytest.raises(RequestsRefused, match="It is played now, so it cannot be marked accepted"):
        move(staff_dj, song_request, "accepted")


def test_reopening_a_declined_song_that_was_requested_again_is_refused(live_night, staff_dj):
    first = ask(live_night.event, "Valerie")
    move(staff_dj, first, "declined")
    ask(live_night.event, "Valerie")
    with pytest.raises(RequestsRefused, match="requested again"):
        move(staff_dj, first, "requested")
    assert SongRequest.objects.get(pk=first.pk).status == "declined"


def test_only_staff_move_requests(live_night, client_a):
    song_request = ask(live_night.event, "September")
    with pytest.raises(RequestsForbidden):
        move(client_a.user, song_request, "accepted")


def test_an_unknown_status_or_request_is_refused(live_night, staff_dj, event_b):
    song_request = ask(live_night.event, "September")
    with pytest.raises(RequestsError) as error:
        move(staff_dj, song_request, "rewound")
    assert error.value.field == "status"
    with pytest.raises(RequestNotFound):
        song_request_set_status(actor=staff_dj, event=event_b, request_id=song_request.pk, status="accepted")
