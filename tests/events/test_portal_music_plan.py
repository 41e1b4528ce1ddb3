"""The music plan form of the client portal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import BusinessProfile
from events.models import MusicPlan, SongListKind
from tests.factories import EventFactory, MusicPlanFactory, PlannedSongFactory


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }


def _plan_post(**overrides) -> dict:
    data = {
        "genres_loved": "Motown, 80s",
        "genres_avoided": "Line dances",
        "clean_versions_only": "on",
        "guest_requests_allowed": "on",
        "notes": "Grandma loves Sinatra.",
        **_management("must_play", 3),
        "must_play-0-title": "September",
        "must_play-0-artist": "Earth, Wind & Fire",
        "must_play-1-title": "Dancing Queen",
        "must_play-1-artist": "ABBA",
        "must_play-1-version_notes": "",
        **_management("do_not_play", 1),
        "do_not_play-0-title": "Macarena",
        **_management("special_moment", 2),
        "special_moment-0-moment": "First dance",
        "special_moment-0-title": "At Last",
        "special_moment-0-artist": "Etta James",
        "special_moment-0-version_notes": "fade at 2:30",
    }
    data.update(overrides)
    return data


@pytest.fixture
def plan_url(event_a):
    return reverse("events:portal-music-plan", args=[event_a.uuid])


def test_empty_plan_shows_one_blank_row_per_list(client, client_a, plan_url):
    client.force_login(client_a.user)
    response = client.get(plan_url)
    assert response.status_code == 200
    html = response.content.decode()
    for prefix in ("must_play", "do_not_play", "special_moment"):
        assert f'name="{prefix}-TOTAL_FORMS" value="1"' in html
        assert f'id="{prefix}-empty-form"' in html
    assert not MusicPlan.objects.exists(), "looking at the form must not create a plan"


def test_saving_the_plan_stores_wishes_and_songs_and_shows_them_again(client, client_a, event_a, plan_url):
    client.force_login(client_a.user)

    response = client.post(plan_url, _plan_post())

    assert response.status_code == 302
    assert response["Location"] == plan_url
    plan = MusicPlan.objects.get(event=event_a)
    assert plan.genres_loved == "Motown, 80s"
    assert plan.clean_versions_only is True
    assert plan.notes == "Grandma loves Sinatra."
    songs = [(song.kind, song.moment, song.title, song.artist, song.version_notes) for song in plan.songs.all()]
    assert songs == [
        (SongListKind.DO_NOT_PLAY, "", "Macarena", "", ""),
        (SongListKind.MUST_PLAY, "", "September", "Earth, Wind & Fire", ""),
        (SongListKind.MUST_PLAY, "", "Dancing Queen", "ABBA", ""),
        (SongListKind.SPECIAL_MOMENT, "First dance", "At Last", "Etta James", "fade at 2:30"),
    ]

    page = client.get(plan_url)
    html = page.content.decode()
    assert "Music plan saved." in html
    assert 'value="September"' in html and 'value="At Last"' in html and 'value="First dance"' in html
    assert 'name="must_play-TOTAL_FORMS" value="3"' in html, "two saved songs and a blank row"


def test_unticked_boxes_are_saved_as_no(client, client_a, event_a, plan_url):
    client.force_login(client_a.user)
    data = _plan_post()
    del data["clean_versions_only"], data["guest_requests_allowed"]
    client.post(plan_url, data)
    plan = MusicPlan.objects.get(event=event_a)
    assert (plan.clean_versions_only, plan.guest_requests_allowed) == (False, False)


def test_rows_marked_remove_are_deleted_and_others_kept(client, client_a, event_a, plan_url):
    plan = MusicPlanFactory(event=event_a)
    PlannedSongFactory(plan=plan, kind="must_play", title="Keep me")
    PlannedSongFactory(plan=plan, kind="must_play", title="Drop me")
    client.force_login(client_a.user)
    data = {
        **_management("must_play", 3, initial=2),
        "must_play-0-title": "Keep me",
        "must_play-1-title": "Drop me",
        "must_play-1-DELETE": "on",
        **_management("do_not_play", 1),
        **_management("special_moment", 1),
        "guest_requests_allowed": "on",
    }

    assert client.post(plan_url, data).status_code == 302

    assert [song.title for song in plan.songs.all()] == ["Keep me"]


def test_errors_are_shown_next_to_the_fields_and_nothing_typed_is_lost(client, client_a, event_a, plan_url):
    client.force_login(client_a.user)
    data = _plan_post(**{"special_moment-0-moment": "", "must_play-1-title": ""})

    response = client.post(plan_url, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Some answers need another look." in html
    assert '<ul class="errorlist" id="id_special_moment-0-moment_error">' in html
    assert "Say which moment this song is for" in html
    assert '<ul class="errorlist" id="id_must_play-1-title_error">' in html
    assert "Add the song&#x27;s title." in html
    for typed in ("Motown, 80s", "September", "ABBA", "Macarena", "At Last", "Etta James", "fade at 2:30"):
        assert f'value="{typed}"' in html
    assert "Grandma loves Sinatra." in html
    assert not MusicPlan.objects.filter(event=event_a).exists()


def test_a_locked_plan_is_read_only_and_a_post_is_refused(client, client_a, owner):
    BusinessProfile.objects.create(client_edit_cutoff_days=14)
    event = EventFactory(client=client_a, date=timezone.localdate() + dt.timedelta(days=10), status="booked")
    plan = MusicPlanFactory(event=event, genres_loved="Disco")
    PlannedSongFactory(plan=plan, title="Le Freak")
    url = reverse("events:portal-music-plan", args=[event.uuid])
    client.force_login(client_a.user)

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your plan is locked." in html
    assert "Changes close 14 days before the event" in html
    assert "Le Freak" in html
    assert '<form method="post" novalidate>' not in html

    refused = client.post(url, _plan_post())
    assert refused.status_code == 403
    assert "Your plan is locked." in refused.content.decode()
    plan.refresh_from_db()
    assert plan.genres_loved == "Disco"
    assert [song.title for song in plan.songs.all()] == ["Le Freak"]
