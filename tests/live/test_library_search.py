"""Guests search the DJ's library to request a song (GET library/?q=) and request a track by its id; with an
empty library the page offers the typed form only (the snapshot's library_search)."""

import pytest

from events.models import SongRequest
from music.selectors import track_search
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def search(guest_api, event, query: str):
    return guest_api().get(f"/api/v1/events/{event.slug}/library/", {"q": query})


@pytest.fixture
def library():
    return {
        "halo": TrackFactory(title="Halo", artist="Beyoncé", album="I Am... Sasha Fierce"),
        "crazy": TrackFactory(title="Crazy in Love (feat. Jay-Z)", artist="Beyoncé"),
        "halo_cover": TrackFactory(title="Halo", artist="Walking on Cars"),
        "valerie": TrackFactory(title="Valerie", artist="Amy Winehouse", album="Back to Black"),
    }


def test_every_word_must_match_ignoring_case_and_accents(library):
    assert [track.title for track in track_search("beyonce")] == ["Crazy in Love (feat. Jay-Z)", "Halo"]
    assert track_search("HALO beyoncé") == [library["halo"]]
    assert track_search("back to black") == [library["valerie"]]  # the album counts
    assert track_search("?!") == []


def test_titles_that_start_with_the_query_come_first(library):
    hello = TrackFactory(title="Say Hello", artist="Halo Friends")
    results = track_search("halo")
    assert results[:2] == sorted([library["halo"], library["halo_cover"]], key=lambda track: track.title)
    assert results[-1] == hello


def test_guests_search_through_the_api(live_night, guest_api, library):
    answer = search(guest_api, live_night.event, "valerie")
    assert answer.status_code == 200
    assert answer.json() == {
        "results": [
            {"id": str(library["valerie"].pk), "title": "Valerie", "artist": "Amy Winehouse", "album": "Back to Black"}
        ]
    }
    short = search(guest_api, live_night.event, "v")
    assert (short.status_code, short.json()["q"]) == (400, ["Type at least 2 characters."])
    assert guest_api().get("/api/v1/events/no-such-party/library/", {"q": "valerie"}).status_code == 404


def test_the_snapshot_says_when_there_is_a_library_to_search(live_night, guest_api):
    queue = f"/api/v1/events/{live_night.event.slug}/queue/"
    assert guest_api().get(queue).json()["library_search"] is False
    TrackFactory()
    assert guest_api().get(queue).json()["library_search"] is True


def test_a_request_for_a_library_track_takes_the_tracks_title_and_links_it(live_night, guest_api, library):
    url = f"/api/v1/events/{live_night.event.slug}/requests/"
    track = library["crazy"]
    answer = guest_api().post(url, {"title": "crazy in love", "track_id": str(track.pk)}, format="json")
    assert answer.status_code == 201
    assert (answer.json()["title"], answer.json()["artist"]) == ("Crazy in Love (feat. Jay-Z)", "Beyoncé")
    assert SongRequest.objects.get().track == track
    typed = guest_api().post(url, {"title": "Crazy in love", "artist": "beyonce"}, format="json")
    assert (typed.status_code, typed.json()["merged"], typed.json()["votes"]) == (200, True, 2)  # the same song
