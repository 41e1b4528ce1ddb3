"""The DJ's endpoints: request status, live settings, announcements; refused to clients and anonymous."""

import uuid

import pytest

from events.models import LiveNight
from events.services import song_request_create
from events.status import RequestStatus
from tests.factories import EventFactory, MusicPlanFactory, PlannedSongFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def song(live_night):
    return song_request_create(event=live_night.event, guest_id=uuid.uuid4(), title="September")[0]


def status_url(song) -> str:
    return f"/api/v1/events/{song.event.slug}/requests/{song.pk}/status/"


def test_staff_move_a_request_and_a_repeat_is_409_saying_what_happened(song, staff_dj, api_for):
    api = api_for(staff_dj)
    answer = api.post(status_url(song), {"status": "playing"}, format="json")
    assert answer.status_code == 200
    assert (answer.json()["id"], answer.json()["status"]) == (str(song.pk), "playing")
    again = api.post(status_url(song), {"status": "playing"}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "Already marked playing.", "code": "status_conflict", "status": "playing"}


def test_a_bad_status_is_400_naming_the_field(song, staff_dj, api_for):
    answer = api_for(staff_dj).post(status_url(song), {"status": "rewound"}, format="json")
    assert answer.status_code == 400
    assert "status" in answer.json()


def test_staff_open_requests_and_set_limits(live_night, owner, api_for):
    url = f"/api/v1/events/{live_night.event.slug}/live/"
    api = api_for(owner)
    answer = api.patch(url, {"requests_open": False, "requests_per_guest": 5, "request_pin": "9876"}, format="json")
    assert answer.status_code == 200
    assert {key: answer.json()[key] for key in ("requests_open", "requests_per_guest", "request_pin")} == {
        "requests_open": False,
        "requests_per_guest": 5,
        "request_pin": "9876",
    }
    assert api.get(url).json()["requests_per_guest"] == 5
    bad = api.patch(url, {"requests_per_guest": 0, "request_cooldown_seconds": 99999}, format="json")
    assert bad.status_code == 400
    assert {"requests_per_guest", "request_cooldown_seconds"} <= set(bad.json())


def test_settings_leave_bidding_alone(live_night, owner, api_for):
    LiveNight.objects.filter(pk=live_night.pk).update(bidding_open=True, min_bid_cents=700)
    url = f"/api/v1/events/{live_night.event.slug}/live/"
    answer = api_for(owner).patch(url, {"bidding_open": False, "requests_open": False}, format="json")
    assert answer.status_code == 200
    live = LiveNight.objects.get(pk=live_night.pk)
    assert (live.bidding_open, live.min_bid_cents, live.requests_open) == (True, 700, False)


def test_staff_post_an_announcement(live_night, staff_dj, api_for):
    url = f"/api/v1/events/{live_night.event.slug}/announcements/"
    answer = api_for(staff_dj).post(url, {"text": "Last call at the bar!"}, format="json")
    assert answer.status_code == 201
    assert answer.json()["text"] == "Last call at the bar!"
    assert LiveNight.objects.get(pk=live_night.pk).announcement == "Last call at the bar!"
    too_long = api_for(staff_dj).post(url, {"text": "x" * 281}, format="json")
    assert too_long.status_code == 400
    assert "text" in too_long.json()


@pytest.mark.parametrize("who", ["client_a", "client_b", "anonymous"])
def test_clients_and_guests_cannot_use_the_staff_endpoints(who, song, api_for, request):
    user = None if who == "anonymous" else request.getfixturevalue(who).user
    api = api_for(user)
    slug = song.event.slug
    answers = [
        api.post(status_url(song), {"status": "declined"}, format="json"),
        api.patch(f"/api/v1/events/{slug}/live/", {"requests_open": False}, format="json"),
        api.get(f"/api/v1/events/{slug}/live/"),
        api.post(f"/api/v1/events/{slug}/announcements/", {"text": "hi"}, format="json"),
        api.get(f"/api/v1/events/{slug}/plan-matches/"),  # the client's plan is for the DJ, not the guests
    ]
    expected = 401 if who == "anonymous" else 403
    assert [answer.status_code for answer in answers] == [expected] * 5
    song.refresh_from_db()
    assert song.status == "requested"
    assert LiveNight.objects.get(event=song.event).requests_open


def test_staff_get_404_for_an_unknown_or_cancelled_event(staff_dj, api_for):
    cancelled = EventFactory(status="cancelled")
    for slug in ("no-such-party", cancelled.slug):
        assert api_for(staff_dj).get(f"/api/v1/events/{slug}/live/").status_code == 404


def test_staff_see_which_open_requests_are_in_the_music_plan(live_night, staff_dj, api_for):
    """The console marks requests the client planned (pre-party ones above all), matched as duplicates are."""
    event = live_night.event
    plan = MusicPlanFactory(event=event)
    PlannedSongFactory(plan=plan, kind="must_play", title="September", artist="Earth, Wind & Fire")
    PlannedSongFactory(plan=plan, kind="special_moment", moment="First dance", title="At Last", artist="Etta James")
    PlannedSongFactory(plan=plan, kind="must_play", title="At Last", artist="Etta James")  # the moment says more
    guest = uuid.uuid4()
    september = song_request_create(event=event, guest_id=guest, title="september", artist="EARTH WIND AND FIRE")[0]
    at_last = song_request_create(event=event, guest_id=uuid.uuid4(), title="At Last")[0]  # no artist: still a match
    unplanned = song_request_create(event=event, guest_id=uuid.uuid4(), title="Mr. Brightside")[0]
    played = song_request_create(event=event, guest_id=uuid.uuid4(), title="Song 2")[0]
    PlannedSongFactory(plan=plan, kind="do_not_play", title="Mr. Brightside", artist="")  # added after the request
    PlannedSongFactory(plan=plan, kind="must_play", title="Song 2", artist="")
    played.status = RequestStatus.PLAYED
    played.save(update_fields=["status"])

    answer = api_for(staff_dj).get(f"/api/v1/events/{event.slug}/plan-matches/")

    assert answer.status_code == 200
    assert answer.json() == {
        "matches": {
            str(september.pk): {"kind": "must_play", "label": "Must play"},
            str(at_last.pk): {"kind": "special_moment", "label": "Special moment: First dance"},
            str(unplanned.pk): {"kind": "do_not_play", "label": "Do not play"},
        }
    }


def test_plan_matches_are_empty_without_a_plan(song, staff_dj, api_for):
    assert api_for(staff_dj).get(f"/api/v1/events/{song.event.slug}/plan-matches/").json() == {"matches": {}}
