"""A DJ finds the copies of one recording on the duplicates page, picks the copy to keep and merges the group; the
page is looked at on a phone and a desktop (screenshots in $SCREENSHOTS or /tmp/shots-dupes/)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from music.models import Track
from tests.factories import SongRequestFactory
from tests.music import recordings

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("SCREENSHOTS") or "/tmp/shots-dupes")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return recordings.copies_and_another(tmp_path_factory.mktemp("copies"))


@pytest.fixture
def library(transactional_db, settings, tmp_path, files):
    settings.MEDIA_ROOT = tmp_path / "media"
    return recordings.library(files, "mp3-128", "flac", "trimmed", "retagged", "other")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dj_keeps_the_copy_they_choose(library, live_page, staff_dj, width):
    request = SongRequestFactory(track=library["flac"])
    page = live_page(width, 900, user=staff_dj)
    page.goto("/library/duplicates/")
    group = page.locator("form.dup-group")
    expect(group).to_have_count(1)
    expect(group.get_by_role("heading")).to_have_text("Night Drive — Luma")
    expect(group.get_by_role("radio", name="Keep best")).to_be_checked()
    expect(group.locator(".dup-copy").first).to_contain_text("FLAC · lossless")
    expect(group.locator("audio")).to_have_count(4)
    expect(page.locator(f'input[value="{library["other"].pk}"]')).to_have_count(0)  # the same title, not a copy
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"duplicates-{width}.png"), full_page=True)

    retagged = group.locator(".dup-copy", has_text="nightdrive_FINAL")
    retagged.get_by_role("radio", name="Keep").check()
    group.get_by_role("button", name="Merge into the chosen copy").click()

    expect(page.locator(".notice--success")).to_have_text(
        "Merged 3 copies into “nightdrive_FINAL — Luma” (mp3)."
    )  # artist filled in
    expect(page.get_by_text("No duplicates")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"duplicates-merged-{width}.png"), full_page=True)
    assert set(Track.objects.all()) == {library["retagged"], library["other"]}
    request.refresh_from_db()
    assert request.track == library["retagged"]
