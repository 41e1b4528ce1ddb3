"""Merging a group of copies keeps one track (the best, or the DJ's choice): its empty fields are filled from the
others, requests that pointed at a removed copy point at it, and the removed copies and their files are gone."""

import pytest
from django.core.files.base import ContentFile

from events.models import SongRequest
from music.duplicates import duplicate_groups, duplicates_merge
from music.errors import MusicError
from music.models import Track
from tests.factories import SongRequestFactory
from tests.music import recordings
from tests.music.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return recordings.copies_and_another(tmp_path_factory.mktemp("copies"))


def test_merging_keeps_the_best_copy_moves_requests_and_deletes_the_rest(
    files, media_root, django_capture_on_commit_callbacks
):
    tracks = recordings.library(files, "mp3-128", "flac", "trimmed", "retagged")
    requests = [SongRequestFactory(track=tracks[name]) for name in ("mp3-128", "trimmed", "flac")]
    [group] = duplicate_groups()

    with django_capture_on_commit_callbacks(execute=True):
        kept = duplicates_merge(keep=group.best, others=group.tracks[1:])

    assert kept == tracks["flac"]
    assert list(Track.objects.all()) == [kept]
    assert {request.track_id for request in SongRequest.objects.filter(pk__in=[r.pk for r in requests])} == {kept.pk}
    assert stored_files(media_root) == [media_root / kept.audio.name]
    assert (kept.title, kept.artist, kept.album) == ("Night Drive", "Luma", "Afterhours")
    assert Track.objects.get().genre == "House"  # filled in from the retagged copy


def test_merging_again_changes_nothing(files, media_root, django_capture_on_commit_callbacks):
    tracks = recordings.library(files, "flac", "mp3-320")
    with django_capture_on_commit_callbacks(execute=True):
        duplicates_merge(keep=tracks["flac"], others=[tracks["mp3-320"]])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert duplicates_merge(keep=tracks["flac"], others=[tracks["mp3-320"]]) == tracks["flac"]
    assert callbacks == []
    assert list(Track.objects.all()) == [tracks["flac"]]
    assert len(stored_files(media_root)) == 1


def test_the_dj_may_keep_another_copy(files, media_root, django_capture_on_commit_callbacks):
    tracks = recordings.library(files, "flac", "mp3-320")
    request = SongRequestFactory(track=tracks["flac"])
    with django_capture_on_commit_callbacks(execute=True):
        duplicates_merge(keep=tracks["mp3-320"], others=[tracks["flac"]])
    assert list(Track.objects.all()) == [tracks["mp3-320"]]
    request.refresh_from_db()
    assert request.track == tracks["mp3-320"]
    assert stored_files(media_root) == [media_root / tracks["mp3-320"].audio.name]


def test_a_different_recording_is_not_merged(files, media_root, django_capture_on_commit_callbacks):
    tracks = recordings.library(files, "flac", "mp3-320", "other")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(MusicError, match="is not a copy of"):
        duplicates_merge(keep=tracks["flac"], others=[tracks["mp3-320"], tracks["other"]])
    assert Track.objects.count() == 3
    assert len(stored_files(media_root)) == 3


def test_the_kept_track_takes_a_removed_copys_cover_art(files, media_root, django_capture_on_commit_callbacks):
    tracks = recordings.library(files, "flac", "mp3-128")
    tracks["mp3-128"].cover_art.save("cover.jpg", ContentFile(b"\xff\xd8 a jpeg"), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        kept = duplicates_merge(keep=tracks["flac"], others=[tracks["mp3-128"]])
    kept.refresh_from_db()
    assert kept.cover_art.name == tracks["mp3-128"].cover_art.name
    assert kept.cover_art.read() == b"\xff\xd8 a jpeg"


def test_a_track_gone_meanwhile_cannot_be_kept(files):
    tracks = recordings.library(files, "flac", "mp3-128")
    Track.objects.filter(pk=tracks["flac"].pk).delete()
    with pytest.raises(MusicError, match="no longer in the library"):
        duplicates_merge(keep=tracks["flac"], others=[tracks["mp3-128"]])
    assert Track.objects.get() == tracks["mp3-128"]
