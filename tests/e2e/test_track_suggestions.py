"""The DJ looks a track up from its suggestions page (fake MusicBrainz, AcoustID and Cover Art Archive on
127.0.0.1), sees the proposal beside what the track has, and accepts part of it: only then does the track change.
With $SCREENSHOTS set, screenshots at phone and desktop width land in that folder."""

import os
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django_q.conf import Conf
from playwright.sync_api import expect

from music.models import Track
from music.services import track_import_file
from tests.music.audio import encode
from tests.music.conftest import enrichment  # noqa: F401 - the fake services' fixture
from tests.music.images import image_bytes

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ["SCREENSHOTS"]) if os.environ.get("SCREENSHOTS") else None


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def serve_media(page, media_root: Path) -> None:
    """The live server does not serve uploaded files (DEBUG is off): answer /media/ from the test's folder."""

    def fulfil(route):
        path = media_root / route.request.url.split("/media/", 1)[1]
        route.fulfill(status=200, body=path.read_bytes()) if path.is_file() else route.fulfill(status=404)

    page.route("**/media/**", fulfil)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dj_looks_a_track_up_and_accepts_part_of_it(
    width,
    transactional_db,
    staff_dj,
    enrichment,  # noqa: F811 - the fixture imported above
    media,
    new_page,
    monkeypatch,
    tmp_path,
    live_server,
):
    monkeypatch.setattr(Conf, "SYNC", True)  # the lookup's q2 task runs inline when the request commits
    track, _ = track_import_file(encode(tmp_path / "track_07.mp3", seconds=8, genre="Funk"))
    mbid = enrichment.musicbrainz.add_recording(
        title="Valerie", artist="Mark Ronson feat. Amy Winehouse", album="Version", release_date="2007-04-16",
        genres=["soul"],
    )  # fmt: skip
    enrichment.covers.add(enrichment.musicbrainz.release_of(mbid), image_bytes(1200, 1200, colour=(40, 60, 160)))
    fingerprint = subprocess.run(
        ["fpcalc", "-plain", "-ignore-errors", track.audio.path], check=True, capture_output=True, text=True
    ).stdout.strip()
    enrichment.acoustid.add(fingerprint, mbid, score=0.96)

    page = new_page(width, 900)
    serve_media(page, media)
    session = Client()
    session.force_login(staff_dj)
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"/library/tracks/{track.pk}/suggestions/")
    expect(page.get_by_text("No suggestions waiting for this track.")).to_be_visible()
    page.get_by_role("button", name="Look it up on MusicBrainz").click()
    expect(page.get_by_text("Looking it up on MusicBrainz")).to_be_visible()
    page.reload()  # as the DJ does a moment later (here the q2 task ran inline, before the page came back)

    expect(page.get_by_role("heading", name="From MusicBrainz")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Genre")).not_to_be_checked()  # the DJ's own genre
    expect(page.get_by_role("checkbox", name="Album")).to_be_checked()
    expect(page.get_by_role("img", name="The proposed cover")).to_be_visible()
    unchanged = Track.objects.get(pk=track.pk)
    assert (unchanged.title, unchanged.album, unchanged.genre, bool(unchanged.cover_art)) == (
        "track 07",
        "",
        "Funk",
        False,
    )
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"suggestions-{width}.png", full_page=True)

    expect(page.get_by_role("checkbox", name="Title")).not_to_be_checked()  # the track has one (its file name)
    page.get_by_role("checkbox", name="Title").check()
    page.get_by_role("checkbox", name="Year").uncheck()
    page.get_by_role("button", name="Accept selected").click()

    expect(page.get_by_text("Updated title, artist, album, cover.")).to_be_visible()
    expect(page.get_by_role("img", name="Cover of Valerie")).to_be_visible()
    if SHOTS:
        page.screenshot(path=SHOTS / f"suggestions-accepted-{width}.png", full_page=True)
    accepted = Track.objects.get(pk=track.pk)
    assert (accepted.title, accepted.album, accepted.genre, accepted.year) == ("Valerie", "Version", "Funk", None)
