"""Screenshots of the Downloads and wanted-list pages at phone and desktop width, to look at after a design change.

Not part of the normal run (the file name does not match test_*.py); run it on purpose:

    .venv/bin/pytest -q tests/e2e/screenshots_downloads.py

The PNGs land in $SCREENSHOTS (default artifacts/screenshots/), named <page>-<phone|desktop>.png.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from music.models import DownloadItem, DownloadJob, WantedList
from tests.factories import TrackFactory

OUT = Path(os.environ.get("SCREENSHOTS") or Path(settings.BASE_DIR) / "artifacts" / "screenshots")
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture
def library(transactional_db, staff_dj):
    feed = DownloadJob.objects.create(
        url="https://feeds.example.com/warm-up-mixes.xml", title="Warm-up mixes", status="done", is_playlist=True,
        requested_by=staff_dj,
    )  # fmt: skip
    done = TrackFactory(title="Sunset Boulevard", artist="The Testers", source="download")
    DownloadItem.objects.create(
        job=feed,
        position=0,
        url="https://feeds.example.com/1.mp3",
        title="Sunset Boulevard",
        status="done",
        progress=100,
        track=done,
    )
    DownloadItem.objects.create(
        job=feed,
        position=1,
        url="https://feeds.example.com/2.mp3",
        title="Night Drive (Extended Mix)",
        status="downloading",
        progress=46,
    )
    DownloadItem.objects.create(
        job=feed, position=2, url="https://feeds.example.com/3.mp3", title="Afterglow", status="queued"
    )
    DownloadItem.objects.create(
        job=feed, position=3, url="https://feeds.example.com/4.mp3", title="Live at the Pier", status="failed",
        error_code="too_long", error_message="“Live at the Pier” is 184.0 minutes long; the limit is 30 minutes.",
    )  # fmt: skip
    refused = DownloadJob.objects.create(
        url="https://www.example.com/about", status="failed", error_code="not_audio",
        error_message="No audio there: the link is a web page, not a media file.", requested_by=staff_dj,
    )  # fmt: skip
    wanted = WantedList.objects.create(
        url="https://open.spotify.com/playlist/37i9dQZF1DX", spotify_id="37i9dQZF1DX", name="Wedding floor"
    )
    september = TrackFactory(title="September", artist="Earth, Wind & Fire")
    wanted.tracks.create(
        position=0, title="September", artist="Earth, Wind & Fire", duration_ms=215_000, track=september
    )
    brightside = wanted.tracks.create(position=1, title="Mr. Brightside", artist="The Killers", duration_ms=222_000)
    wanted.tracks.create(
        position=2, title="Valerie - Version Revisited", artist="Mark Ronson, Amy Winehouse", duration_ms=219_000
    )
    single = DownloadJob.objects.create(
        url="https://soundcloud.com/killers/brightside", title=str(brightside), status="done"
    )
    DownloadItem.objects.create(
        job=single, url=single.url, title=str(brightside), status="downloading", progress=71, wanted=brightside
    )
    return {"refused": refused, "wanted": wanted}


@pytest.mark.parametrize("size", SIZES)
def test_screenshots(library, staff_dj, live_page, size):
    OUT.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[size]
    page = live_page(width, height, user=staff_dj)
    page.route("**/library/downloads/status/", lambda route: route.abort())  # a still picture: no polling
    for name, path in {
        "downloads": "/library/downloads/",
        "wanted-lists": "/library/wanted/",
        "wanted-list": f"/library/wanted/{library['wanted'].pk}/",
    }.items():
        page.goto(path)
        page.screenshot(path=str(OUT / f"{name}-{size}.png"), full_page=True)
