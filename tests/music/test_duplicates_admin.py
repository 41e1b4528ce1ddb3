"""Staff merge duplicates from the admin's track list: the selected copies of one recording become its best copy."""

import pytest

from music.models import Track
from tests.music import recordings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return recordings.copies_and_another(tmp_path_factory.mktemp("copies"))


def test_the_merge_action_keeps_the_best_copy_of_the_selected(client, owner, files, django_capture_on_commit_callbacks):
    tracks = recordings.library(files, "mp3-128", "flac", "m4a", "other")
    client.force_login(owner)
    selected = [str(track.pk) for track in tracks.values()]
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/admin/music/track/", {"action": "merge_duplicates", "_selected_action": selected}, follow=True
        )
    assert "Kept “Night Drive — Luma” (flac); merged 2 other copies." in answer.content.decode()
    assert set(Track.objects.all()) == {tracks["flac"], tracks["other"]}


def test_the_track_list_links_to_the_duplicates_page(client, owner):
    client.force_login(owner)
    assert '<a href="/library/duplicates/">Duplicates</a>' in client.get("/admin/music/track/").content.decode()


def test_nothing_to_merge_is_said(client, owner, files):
    tracks = recordings.library(files, "flac", "other")
    client.force_login(owner)
    selected = [str(track.pk) for track in tracks.values()]
    answer = client.post(
        "/admin/music/track/", {"action": "merge_duplicates", "_selected_action": selected}, follow=True
    )
    assert "No duplicates among the selected tracks" in answer.content.decode()
    assert Track.objects.count() == 2
