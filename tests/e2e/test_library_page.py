"""The DJ's library page in Chromium: filter by a key and its compatible keys, play a track in the page's player,
tick two tracks for a crossfade preview and play it, and delete a ticked track."""

from decimal import Decimal

import pytest
from django.test import Client
from django_q.conf import Conf
from playwright.sync_api import expect

from music.models import Track
from music.services import track_import_file
from tests.factories import TrackFactory, UserFactory
from tests.music.audio import chords, clicks, write_wav

pytestmark = pytest.mark.e2e


def logged_in(page, user, base_url: str) -> None:
    """A session for `user` in the page's browser context (the login page is tested elsewhere)."""
    session = Client()
    session.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}])


@pytest.fixture
def dj(transactional_db, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(Conf, "SYNC", True)  # q2 tasks run inline in the server, when a request commits
    return UserFactory(role="staff", email="dj@example.com")


def audio_track(path, title, code, bpm):
    track, _ = track_import_file(write_wav(path, clicks(bpm, 20) * 0.4 + chords([["A", "C", "E"]] * 10) * 0.5))
    Track.objects.filter(pk=track.pk).update(title=title, artist="Nightfall", camelot=code, bpm=Decimal(bpm))
    return track


def test_a_dj_filters_by_key_plays_previews_a_crossfade_and_deletes(dj, tmp_path, new_page, live_server):
    audio_track(tmp_path / "a.wav", "Night Drive", "8A", 120)
    audio_track(tmp_path / "b.wav", "Sunrise", "9A", 124)
    TrackFactory(title="Relative", camelot="8B", bpm=Decimal("122"))
    TrackFactory(title="Far Away", camelot="3B", bpm=Decimal("90"))
    page = new_page(1280, 800)
    logged_in(page, dj, live_server.url)
    page.goto("/library/")
    expect(page.locator("#track-count")).to_have_text("4 tracks")

    page.get_by_label("Key", exact=True).select_option("8A")
    page.get_by_label("+ compatible").check()
    page.get_by_role("button", name="Filter").click()
    titles = page.locator("td.tracks__title")
    expect(titles).to_have_text(["Night Drive", "Sunrise", "Relative"])  # by artist, then title

    page.get_by_role("button", name="Play Night Drive — Nightfall").click()
    expect(page.locator("#now-playing")).to_have_text("Night Drive — Nightfall")
    page.wait_for_function("document.getElementById('player-audio').currentTime > 0.3")
    expect(page.get_by_role("button", name="Play Night Drive — Nightfall")).to_have_attribute("aria-pressed", "true")

    page.get_by_label("Tick Night Drive — Nightfall").check()
    page.get_by_label("Tick Sunrise — Nightfall").check()
    expect(page.locator("#ticked-count")).to_have_text("2 ticked")
    page.get_by_label("Overlap").fill("4")
    page.get_by_role("button", name="Crossfade preview").click()
    expect(page.locator("#crossfade")).to_contain_text("Night Drive — Nightfall → Sunrise — Nightfall · 4 s overlap")
    expect(page.locator(".crossfade__status")).to_have_text("Ready: press play.")
    page.locator(".crossfade__audio").evaluate("audio => audio.play()")
    page.wait_for_function("document.querySelector('.crossfade__audio').currentTime > 0.3")
    expect(titles).to_have_text(["Night Drive", "Sunrise", "Relative"])  # the filters stayed

    page.get_by_label("Tick Relative").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.locator(".messages")).to_contain_text("Deleted 1 track and its files.")
    expect(titles).to_have_text(["Night Drive", "Sunrise"])
    assert not Track.objects.filter(title="Relative").exists()
