"""The duplicates page (/library/duplicates/): staff see each group's copies (format, bitrate, duration, tags, a
player) with the best one picked, and merge a group into the copy they choose; nobody else sees it."""

import pytest
from django.test import Client

from music.models import Track
from music.services import track_import_file
from tests.factories import SongRequestFactory
from tests.music import recordings
from tests.music.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return recordings.copies_and_another(tmp_path_factory.mktemp("copies"))


def test_staff_see_the_groups_with_the_best_copy_picked(client, staff_dj, files):
    tracks = recordings.library(files, "mp3-128", "flac", "retagged", "other")
    client.force_login(staff_dj)
    page = client.get("/library/duplicates/").content.decode()
    assert "3 copies" in page
    assert page.count('type="radio" name="keep"') == 3
    assert f'name="keep" value="{tracks["flac"].pk}" checked' in page
    assert f'src="/library/tracks/{tracks["mp3-128"].pk}/audio/"' in page  # staff-only, ranged
    assert '<strong>MP3</strong> · <span class="nowrap">128 kbps</span> · <span class="nowrap">0:12</span>' in page
    assert "nightdrive_FINAL" in page and "House" in page  # the retagged copy's own tags
    assert str(tracks["other"].pk) not in page


def test_the_dj_merges_a_group_into_the_copy_they_choose(
    client, staff_dj, files, django_capture_on_commit_callbacks, media_root
):
    tracks = recordings.library(files, "mp3-320", "flac")
    request = SongRequestFactory(track=tracks["flac"])
    client.force_login(staff_dj)
    form = {"keep": str(tracks["mp3-320"].pk), "tracks": [str(tracks["flac"].pk), str(tracks["mp3-320"].pk)]}
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/library/duplicates/merge/", form, follow=True)
    assert "Merged 1 copy into “Night Drive — Luma” (mp3)." in answer.content.decode()
    assert "No duplicates" in answer.content.decode()
    assert list(Track.objects.all()) == [tracks["mp3-320"]]
    request.refresh_from_db()
    assert request.track == tracks["mp3-320"]
    assert stored_files(media_root) == [media_root / tracks["mp3-320"].audio.name]


def test_a_different_recording_posted_into_a_merge_is_refused(client, staff_dj, files):
    tracks = recordings.library(files, "flac", "other")
    client.force_login(staff_dj)
    form = {"keep": str(tracks["flac"].pk), "tracks": [str(tracks["flac"].pk), str(tracks["other"].pk)]}
    answer = client.post("/library/duplicates/merge/", form, follow=True)
    assert "is not a copy of “Night Drive — Luma”" in answer.content.decode()
    assert Track.objects.count() == 2


def test_keep_must_be_one_of_the_groups_copies(client, staff_dj, files):
    tracks = recordings.library(files, "flac", "mp3-128")
    client.force_login(staff_dj)
    form = {"keep": str(tracks["flac"].pk), "tracks": [str(tracks["mp3-128"].pk)]}
    answer = client.post("/library/duplicates/merge/", form, follow=True)
    assert "Choose one of the group’s copies to keep." in answer.content.decode()
    assert Track.objects.count() == 2


def test_merging_needs_the_csrf_token(staff_dj, files):
    tracks = recordings.library(files, "flac", "mp3-128")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_dj)
    form = {"keep": str(tracks["flac"].pk), "tracks": [str(track.pk) for track in tracks.values()]}
    assert browser.post("/library/duplicates/merge/", form).status_code == 403
    assert Track.objects.count() == 2


def test_clients_and_visitors_cannot_see_or_merge(client, client_a):
    assert client.get("/library/duplicates/").status_code == 302  # to the login page
    client.force_login(client_a.user)
    assert client.get("/library/duplicates/").status_code == 404
    assert client.post("/library/duplicates/merge/", {}).status_code == 404
    assert client.get("/library/duplicates/merge/").status_code == 404


def test_tracks_not_fingerprinted_yet_are_counted(client, staff_dj, files):
    track_import_file(files["flac"])  # its fingerprint task has not run
    client.force_login(staff_dj)
    page = client.get("/library/duplicates/").content.decode()
    assert "1 track is not fingerprinted yet" in page
    assert "No duplicates" in page
