"""POST/GET /api/v1/events/<slug>/requests/ as the app and the page use them (contract of issue 4)."""

import uuid

import pytest

from events.guests import HEADER, guest_id_from_token
from events.models import SongRequest
from tests.factories import EventFactory, LiveNightFactory, PlannedSongFactory

pytestmark = pytest.mark.django_db

REPRESENTATION = {
    "id",
    "title",
    "artist",
    "guest_name",
    "message",
    "status",
    "votes",
    "top_bid_cents",
    "pre_party",
    "created_at",
    "played_at",
    "voted",
    "mine",
    "merged",
}


def url(event) -> str:
    return f"/api/v1/events/{event.slug}/requests/"


def test_a_request_is_created_with_its_id_and_full_representation(live_night, guest_api):
    answer = guest_api().post(
        url(live_night.event),
        {"title": "September", "artist": "Earth, Wind & Fire", "guest_name": "Kim", "message": "For Mum"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert set(body) == REPRESENTATION
    assert uuid.UUID(body["id"]) == SongRequest.objects.get().pk
    assert {key: body[key] for key in ("title", "artist", "guest_name", "message", "status", "votes")} == {
        "title": "September",
        "artist": "Earth, Wind & Fire",
        "guest_name": "Kim",
        "message": "For Mum",
        "status": "requested",
        "votes": 1,
    }
    assert (body["voted"], body["mine"], body["merged"]) == (True, True, False)


def test_a_duplicate_becomes_a_vote_answered_200_with_merged(live_night, guest_api):
    first = guest_api().post(url(live_night.event), {"title": "Valerie", "artist": "Amy Winehouse"}, format="json")
    again = guest_api().post(url(live_night.event), {"title": "valerie!", "artist": "AMY WINEHOUSE"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert (again.json()["merged"], again.json()["votes"], again.json()["voted"], again.json()["mine"]) == (
        True,
        2,
        True,
        False,
    )


def test_title_is_required_and_track_id_must_name_a_library_track(live_night, guest_api):
    missing = guest_api().post(url(live_night.event), {"artist": "ABBA"}, format="json")
    assert missing.status_code == 400
    assert "title" in missing.json()
    bad_track = guest_api().post(url(live_night.event), {"title": "SOS", "track_id": "42"}, format="json")
    assert bad_track.status_code == 400
    assert "track_id" in bad_track.json()
    gone = guest_api().post(url(live_night.event), {"title": "SOS", "track_id": str(uuid.uuid4())}, format="json")
    assert gone.status_code == 400
    assert gone.json()["track_id"] == ["That song is no longer in the library; type its title instead."]
    assert not SongRequest.objects.exists()


def test_a_title_without_letters_is_refused_naming_the_field(live_night, guest_api):
    answer = guest_api().post(url(live_night.event), {"title": "!!!"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert answer.json()["title"] == [answer.json()["detail"]]


def test_refusals_are_409_with_a_reason(event_a, guest_api):
    LiveNightFactory(event=event_a, requests_open=False)
    closed = guest_api().post(url(event_a), {"title": "September"}, format="json")
    assert closed.status_code == 409
    assert closed.json() == {"detail": "Song requests are closed right now.", "code": "requests_closed"}


def test_a_do_not_play_song_is_declined_politely(live_night, guest_api):
    PlannedSongFactory(plan__event=live_night.event, kind="do_not_play", title="Cha Cha Slide", artist="DJ Casper")
    answer = guest_api().post(url(live_night.event), {"title": "Cha-Cha Slide", "artist": "DJ Casper"}, format="json")
    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "The couple asked us not to play this one tonight — pick another?",
        "code": "do_not_play",
    }


def test_a_cooldown_refusal_says_when_to_retry(live_night, guest_api):
    live_night.request_cooldown_seconds = 300
    live_night.save()
    api = guest_api()
    api.post(url(live_night.event), {"title": "One"}, format="json")
    answer = api.post(url(live_night.event), {"title": "Two"}, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "cooldown"
    assert 295 <= int(answer.headers["Retry-After"]) <= 300


def test_the_pin_is_asked_for_before_the_party(event_a, guest_api):
    LiveNightFactory(event=event_a, requests_open=False, request_pin="2468")
    api = guest_api()
    assert api.post(url(event_a), {"title": "September"}, format="json").json()["pin"]
    wrong = api.post(url(event_a), {"title": "September", "pin": "1111"}, format="json")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "wrong_pin")
    right = api.post(url(event_a), {"title": "September", "pin": "2468"}, format="json")
    assert right.status_code == 201
    assert right.json()["pre_party"] is True


def test_get_lists_this_guests_own_requests_newest_first(live_night, guest_api):
    guest = uuid.uuid4()
    api = guest_api(guest)
    for title in ("One", "Two"):
        api.post(url(live_night.event), {"title": title}, format="json")
    guest_api().post(url(live_night.event), {"title": "Someone else's"}, format="json")
    answer = api.get(url(live_night.event))
    assert answer.status_code == 200
    assert [row["title"] for row in answer.json()["results"]] == ["Two", "One"]
    assert all(row["mine"] and row["voted"] for row in answer.json()["results"])


def test_a_new_guest_is_given_a_token_in_the_header_and_the_cookie(live_night, client):
    answer = client.post(url(live_night.event), {"title": "September"}, content_type="application/json")
    assert answer.status_code == 201
    token = answer.headers[HEADER]
    assert answer.cookies["djbiz_guest"].value == token
    assert SongRequest.objects.get().guest_id == guest_id_from_token(token)


def test_an_unknown_or_cancelled_event_is_404(db, guest_api):
    cancelled = EventFactory(status="cancelled")
    LiveNightFactory(event=cancelled)
    for slug in ("no-such-party", cancelled.slug):
        assert guest_api().post(f"/api/v1/events/{slug}/requests/", {"title": "X"}, format="json").status_code == 404
        assert guest_api().get(f"/api/v1/events/{slug}/queue/").status_code == 404
