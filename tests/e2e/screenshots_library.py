"""Screenshots of the library page at phone and desktop width, to look at after a design change.

Not part of the normal run (the file name does not match test_*.py); run it on purpose:

    .venv/bin/pytest -q tests/e2e/screenshots_library.py

The PNGs land in artifacts/screenshots/ (or $SCREENSHOTS), named library-<state>-<phone|desktop>.png.
"""

import os
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django_q.conf import Conf

from music import camelot
from music.models import Track
from music.services import track_import_file
from tests.e2e.test_library_page import logged_in
from tests.factories import TrackFactory, UserFactory
from tests.music.audio import chords, clicks, write_wav

OUT = Path(os.environ.get("SCREENSHOTS") or Path(settings.BASE_DIR) / "artifacts" / "screenshots")
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
ARTISTS = ["Daft Punk", "Beyoncé", "Fred again..", "Peggy Gou", "Kaytranada", "Robyn", "Disclosure", "Bicep"]
FIRST_WORDS = ["Midnight", "Golden", "Electric", "Slow", "Higher"]
SECOND_WORDS = ["Drive", "Hour", "Love", "Motion", "Dreams"]
GENRES = ["House", "Disco", "Pop", "Techno", "Funk", "Hip-hop"]


@pytest.fixture
def library(transactional_db, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(Conf, "SYNC", True)
    rng = random.Random(5)
    for n in range(64):
        code = rng.choice(camelot.CODES)
        TrackFactory(
            title=f"{rng.choice(FIRST_WORDS)} {rng.choice(SECOND_WORDS)} {n}",
            artist=rng.choice(ARTISTS),
            genre=rng.choice(GENRES),
            bpm=Decimal(rng.choice([98, 112, 118, 120, 122, 124, 126, 128])),
            camelot=code,
            key=camelot.KEYS[code],
            energy=rng.randint(20, 95),
            duration_ms=rng.randint(150_000, 420_000),
            analysis_status="done",
        )
    for n, bpm in enumerate((120, 124)):
        track, _ = track_import_file(
            write_wav(tmp_path / f"demo{n}.wav", clicks(bpm, 24) * 0.4 + chords([["A", "C", "E"]] * 12) * 0.5)
        )
        Track.objects.filter(pk=track.pk).update(
            title=f"Demo groove {n + 1}", artist="Nightfall Sound", genre="House", camelot="8A", key="A minor"
        )
    return UserFactory(role="staff", email="dj@example.com")


def test_library_screenshots(library, new_page, live_server):
    OUT.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page = new_page(width, height)
        logged_in(page, library, live_server.url)
        page.goto("/library/")
        page.screenshot(path=str(OUT / f"library-list-{size}.png"), full_page=False)
        page.goto("/library/?camelot=8A&compatible=on&sort=bpm")
        page.locator("input[name=tracks]").nth(0).check()
        page.get_by_role("button", name="Play Demo groove 1 — Nightfall Sound").click()
        page.screenshot(path=str(OUT / f"library-filtered-{size}.png"), full_page=True)
        page.goto("/library/?q=demo")
        page.locator("input[name=tracks]").nth(0).check()
        page.locator("input[name=tracks]").nth(1).check()
        page.get_by_role("button", name="Crossfade preview").click()
        page.get_by_text("Ready: press play.").wait_for()
        page.screenshot(path=str(OUT / f"library-crossfade-{size}.png"), full_page=True)
