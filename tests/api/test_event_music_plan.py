"""/api/v1/events/{uuid}/music-plan/."""

import datetime as dt

from django.utils import timezone

from events.models import MusicPlan
from tests.factories import EventFactory, MusicPlanFactory, PlannedSongFactory


def plan_url(event) -> str:
    return f"/api/v1/events/{event.uuid}/music-plan/"


SONGS = [
    {"kind": "special_moment", "moment": "First dance", "title": "At Last", "artist": "Etta James"},
    {"kind": "must_play", "title": "September", "artist": "Earth, Wind & Fire", "version_notes": "radio edit"},
    {"kind": "do_not_play", "title": "Macarena"},
]


def test_anonymous_gets_401(event_a, api_for):
    assert api_for(None).get(plan_url(event_a)).status_code == 401
    assert api_for(None).put(plan_url(event_a), {"songs": []}).status_code == 401


def test_a_new_event_has_an_empty_plan(client_a, event_a, api_for):
    response = api_for(client_a.user).get(plan_url(event_a))
    assert response.status_code == 200
    assert response.json()["songs"] == []
    assert response.json()["guest_requests_allowed"] is True


def test_the_plan_shows_its_songs(staff_dj, event_a, api_for):
    plan = MusicPlanFactory(event=event_a, genres_loved="Motown")
    PlannedSongFactory(plan=plan, title="Respect", artist="Aretha Franklin")
    body = api_for(staff_dj).get(plan_url(event_a)).json()
    assert body["genres_loved"] == "Motown"
    assert body["songs"] == [
        {
            "kind": "must_play",
            "moment": "",
            "title": "Respect",
            "artist": "Aretha Franklin",
            "version_notes": "",
            "position": 0,
        }
    ]


def test_another_clients_plan_is_404_for_reads_and_writes(client_b, event_a, api_for):
    MusicPlanFactory(event=event_a, genres_loved="Motown")
    api = api_for(client_b.user)
    assert api.get(plan_url(event_a)).status_code == 404
    assert api.put(plan_url(event_a), {"genres_loved": "Polka", "songs": []}).status_code == 404
    assert api.patch(plan_url(event_a), {"genres_loved": "Polka"}).status_code == 404
    assert MusicPlan.objects.get(event=event_a).genres_loved == "Motown"


def test_the_client_replaces_the_plan_with_put(client_a, event_a, api_for):
    payload = {"genres_loved": "80s", "clean_versions_only": True, "songs": SONGS}
    response = api_for(client_a.user).put(plan_url(event_a), payload)
    assert response.status_code == 200, response.json()
    assert [(song["kind"], song["title"], song["position"]) for song in response.json()["songs"]] == [
        ("do_not_play", "Macarena", 2),
        ("must_play", "September", 1),
        ("special_moment", "At Last", 0),
    ]
    plan = MusicPlan.objects.get(event=event_a)
    assert plan.clean_versions_only is True
    assert plan.songs.count() == 3


def test_patch_without_songs_keeps_them(staff_dj, event_a, api_for):
    PlannedSongFactory(plan=MusicPlanFactory(event=event_a), title="Respect")
    response = api_for(staff_dj).patch(plan_url(event_a), {"notes": "No line dances"})
    assert response.status_code == 200
    assert [song["title"] for song in response.json()["songs"]] == ["Respect"]
    assert response.json()["notes"] == "No line dances"


def test_put_needs_the_song_list(staff_dj, event_a, api_for):
    response = api_for(staff_dj).put(plan_url(event_a), {"genres_loved": "80s"})
    assert response.status_code == 400
    assert list(response.json()) == ["songs"]


def test_song_errors_name_the_field(staff_dj, event_a, api_for):
    response = api_for(staff_dj).put(plan_url(event_a), {"songs": [SONGS[0], {"kind": "favourite", "title": ""}]})
    assert response.status_code == 400
    assert list(response.json()["songs"]) == ["1"]
    assert set(response.json()["songs"]["1"]) == {"kind", "title"}


def test_a_special_moment_without_its_moment_is_refused_naming_it(staff_dj, event_a, api_for):
    response = api_for(staff_dj).patch(plan_url(event_a), {"songs": [{"kind": "special_moment", "title": "At Last"}]})
    assert response.status_code == 400
    assert list(response.json()) == ["moment"]


def test_the_client_gets_a_readable_403_once_the_plan_is_locked(client_a, api_for):
    event = EventFactory(client=client_a, date=timezone.localdate() + dt.timedelta(days=3))
    PlannedSongFactory(plan=MusicPlanFactory(event=event), title="Respect")
    response = api_for(client_a.user).put(plan_url(event), {"songs": SONGS})
    assert response.status_code == 403
    assert response.json()["code"] == "not_editable"
    assert "Contact your DJ" in response.json()["detail"]
    assert list(MusicPlan.objects.get(event=event).songs.values_list("title", flat=True)) == ["Respect"]


def test_staff_still_edit_a_locked_plan(staff_dj, api_for):
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=3))
    assert api_for(staff_dj).patch(plan_url(event), {"songs": SONGS}).status_code == 200


def test_etag_304(client_a, event_a, api_for, etag_round_trip):
    api = api_for(client_a.user)
    etag = etag_round_trip(api, plan_url(event_a))
    api.patch(plan_url(event_a), {"genres_loved": "Disco"})
    assert api.get(plan_url(event_a), HTTP_IF_NONE_MATCH=etag).status_code == 200
