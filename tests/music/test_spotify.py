"""Spotify playlists against a fake Spotify API on 127.0.0.1: read page by page into a wanted list that shows
which tracks the library has (title, artist and duration); a source link picked for a missing track downloads it
and links it to the row."""

import pytest
from django_q.conf import Conf

from music import spotify
from music.downloads import wanted_track_source
from music.errors import MusicError
from music.models import Track, WantedList
from music.wanted import wanted_list_import, wanted_list_recheck
from tests.factories import TrackFactory
from tests.fakes.spotify_server import FakeSpotify

pytestmark = pytest.mark.django_db

PLAYLIST = "37i9dQZF1DXcBWIGoYBM5M"
LINK = f"https://open.spotify.com/playlist/{PLAYLIST}?si=abc123"


def song(name: str, *artists: str, seconds: int, album: str = "Album") -> dict:
    return {
        "id": f"sp-{name[:6]}", "type": "track", "name": name, "duration_ms": seconds * 1000,
        "artists": [{"name": artist} for artist in artists], "album": {"name": album},
    }  # fmt: skip


@pytest.fixture
def fake_spotify(settings):
    server = FakeSpotify(client_id="app-id", client_secret="app-secret", page_size=2).start()
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "app-id", "app-secret"
    settings.SPOTIFY_ACCOUNTS_BASE, settings.SPOTIFY_API_BASE = server.url, f"{server.url}/v1"
    server.playlist(
        PLAYLIST,
        "Wedding floor",
        [
            song("September", "Earth, Wind & Fire", seconds=215),
            song("Mr. Brightside", "The Killers", seconds=222),
            song("Valerie - Version Revisited", "Mark Ronson", "Amy Winehouse", seconds=219),
            song("Halo", "Beyoncé", seconds=261),
            None,  # a track Spotify no longer has
            {"type": "episode", "name": "A podcast episode", "duration_ms": 1000},
            song("Dancing Queen", "ABBA", seconds=231),
        ],
    )
    yield server
    server.stop()


def test_a_playlist_is_read_over_its_pages_and_matched_to_the_library(fake_spotify, staff_dj):
    september = TrackFactory(title="September", artist="Earth Wind and Fire", duration_ms=214_000)
    valerie = TrackFactory(title="Valerie", artist="Mark Ronson feat. Amy Winehouse", duration_ms=220_500)
    TrackFactory(title="Halo", artist="Beyonce", duration_ms=180_000)  # another recording: 81 s shorter
    TrackFactory(title="Dancing Queen (Live)", artist="ABBA", duration_ms=231_000)  # another title

    wanted = wanted_list_import(url=LINK, user=staff_dj)

    assert (wanted.name, wanted.spotify_id, wanted.requested_by) == ("Wedding floor", PLAYLIST, staff_dj)
    rows = [(row.title, row.artist, row.length, row.track) for row in wanted.tracks.all()]
    assert rows == [
        ("September", "Earth, Wind & Fire", "3:35", september),
        ("Mr. Brightside", "The Killers", "3:42", None),
        ("Valerie - Version Revisited", "Mark Ronson, Amy Winehouse", "3:39", valerie),
        ("Halo", "Beyoncé", "4:21", None),
        ("Dancing Queen", "ABBA", "3:51", None),
    ]
    pages = [path for method, path in fake_spotify.requests if "/items" in path]
    assert len(pages) == 4  # 7 entries, 2 a page


def test_the_token_is_asked_for_once(fake_spotify):
    wanted_list_import(url=LINK, user=None)
    wanted_list_import(url=f"spotify:playlist:{PLAYLIST}", user=None)
    assert [path for method, path in fake_spotify.requests if method == "POST"] == ["/api/token"]
    assert WantedList.objects.count() == 2


def test_tracks_added_to_the_library_later_are_found_on_a_recheck(fake_spotify):
    wanted = wanted_list_import(url=LINK, user=None)
    brightside = TrackFactory(title="Mr Brightside", artist="Killers", duration_ms=223_000)
    assert wanted_list_recheck(wanted) == 1
    assert wanted.tracks.get(title="Mr. Brightside").track == brightside


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda s: setattr(s, "SPOTIFY_CLIENT_SECRET", "wrong"), "Spotify refused the app's credentials"),
        (lambda s: setattr(s, "SPOTIFY_CLIENT_ID", ""), "Spotify is not set up"),
    ],
)
def test_credentials_problems_are_said_plainly(fake_spotify, settings, setup, message):
    setup(settings)
    with pytest.raises(MusicError, match=message):
        wanted_list_import(url=LINK, user=None)
    assert not WantedList.objects.exists()


def test_an_unknown_or_private_playlist_is_said_plainly(fake_spotify):
    with pytest.raises(MusicError, match="no such public playlist"):
        wanted_list_import(url="https://open.spotify.com/playlist/0000000000NOPE", user=None)
    fake_spotify.forbidden.add(PLAYLIST)
    with pytest.raises(MusicError, match="Spotify would not let the app read this playlist"):
        wanted_list_import(url=LINK, user=None)
    assert not WantedList.objects.exists()


@pytest.mark.parametrize(
    ("link", "playlist"),
    [
        (LINK, PLAYLIST),
        (f"https://open.spotify.com/intl-de/playlist/{PLAYLIST}", PLAYLIST),
        (f"spotify:playlist:{PLAYLIST}", PLAYLIST),
        ("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", None),
        ("https://evil.example/open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M", None),
    ],
)
def test_playlist_links_are_recognised(link, playlist):
    assert spotify.playlist_id(link) == playlist


def test_a_source_picked_for_a_missing_track_downloads_it_and_links_the_row(
    fake_spotify, media_server, mp3_bytes, staff_dj, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)
    wanted = wanted_list_import(url=LINK, user=staff_dj)
    row = wanted.tracks.get(title="Halo")
    url = media_server.file("/halo.mp3", mp3_bytes(title="Halo", artist="Beyoncé"))
    with django_capture_on_commit_callbacks(execute=True):
        item = wanted_track_source(wanted=row, url=url, user=staff_dj)
    item.refresh_from_db()
    row.refresh_from_db()
    assert (item.status, item.wanted, item.job.requested_by) == ("done", row, staff_dj)
    assert row.track == item.track == Track.objects.get(source_url=url)
