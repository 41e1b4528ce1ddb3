"""Copies of one recording (other formats and bitrates, a trimmed start, other tags) are one group of duplicates;
a different recording under the same title and artist is not; the best copy comes first."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django_q.conf import Conf

from music.duplicates import duplicate_groups, track_fingerprint
from music.fingerprint import FingerprintError, compare, decode, fingerprint_file
from music.models import Track
from music.services import track_import_file
from music.tasks import fingerprint_track
from tests.music import recordings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return recordings.copies_and_another(tmp_path_factory.mktemp("copies"))


def test_copies_across_formats_bitrates_trims_and_tags_are_one_group_best_first(files):
    tracks = recordings.library(files, "mp3-128", "mp3-320", "flac", "m4a", "trimmed", "retagged")
    [group] = duplicate_groups()
    assert {track.pk for track in group.tracks} == {track.pk for track in tracks.values()}
    order = {track: name for name, track in tracks.items()}
    ranked = [order[track] for track in group.tracks]
    # lossless first, then by bitrate; of two 192 kbps copies the untrimmed one; ~130 kbps (AAC, MP3) last
    assert ranked[:4] == ["flac", "mp3-320", "retagged", "trimmed"]
    assert set(ranked[4:]) == {"m4a", "mp3-128"}


def test_a_different_recording_with_the_same_title_and_artist_is_not_a_duplicate(files):
    tracks = recordings.library(files, "flac", "mp3-320", "other")
    assert tracks["other"].title == tracks["flac"].title and tracks["other"].artist == tracks["flac"].artist
    [group] = duplicate_groups()
    assert tracks["other"] not in group.tracks
    assert set(group.tracks) == {tracks["flac"], tracks["mp3-320"]}


def test_a_lone_recording_is_in_no_group(files):
    recordings.library(files, "flac", "other")
    assert duplicate_groups() == []


def test_the_groups_found_stay_true_as_the_library_changes(files, django_assert_num_queries):
    tracks = recordings.library(files, "flac", "mp3-320", "other")
    assert {track.pk for track in duplicate_groups()[0].tracks} == {tracks["flac"].pk, tracks["mp3-320"].pk}
    with django_assert_num_queries(2):  # who is in which group comes from the cache: no fingerprint read again
        duplicate_groups()
    added = recordings.library(files, "m4a")["m4a"]
    [group] = duplicate_groups()
    assert added in group.tracks and len(group.tracks) == 3
    tracks["mp3-320"].delete()
    added.title = "A song of its own"
    added.save()
    [group] = duplicate_groups()
    assert set(group.tracks) == {tracks["flac"], added}
    tracks["flac"].delete()
    assert duplicate_groups() == []


def test_the_trimmed_copy_is_found_at_its_offset(files):
    full = decode(fingerprint_file(files["flac"]).compressed)
    trimmed = decode(fingerprint_file(files["trimmed"]).compressed)
    comparison = compare(full, trimmed, max_offset_seconds=15)
    assert comparison.bit_error_rate < 0.1
    assert comparison.offset_seconds == pytest.approx(1.6, abs=0.13)  # one fingerprint step


def test_an_imported_file_is_fingerprinted_after_commit(files, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(Conf, "SYNC", True)  # q2 tasks run inline, when the import commits
    with django_capture_on_commit_callbacks(execute=True):
        track, _ = track_import_file(files["m4a"])
    track.refresh_from_db()
    assert decode(track.fingerprint).size > 50
    assert track_fingerprint(track.pk).fingerprint == track.fingerprint  # and again changes nothing


def test_a_file_fpcalc_cannot_read_is_refused_with_a_reason(tmp_path):
    noise = tmp_path / "notes.mp3"
    noise.write_text("not audio at all")
    with pytest.raises(FingerprintError, match=r"notes\.mp3 could not be fingerprinted"):
        fingerprint_file(noise)


def test_a_missing_fpcalc_is_named(files, settings):
    settings.MUSIC_FPCALC = "/nonexistent/fpcalc"
    with pytest.raises(FingerprintError, match="fpcalc was not found"):
        fingerprint_file(files["flac"])


def test_a_damaged_stored_fingerprint_leaves_its_track_out(files):
    tracks = recordings.library(files, "flac", "mp3-320", "mp3-128")
    Track.objects.filter(pk=tracks["mp3-128"].pk).update(fingerprint="AQAAnot-a-fingerprint")
    with pytest.raises(FingerprintError, match="Not a Chromaprint fingerprint"):
        decode("AQAAnot-a-fingerprint")
    [group] = duplicate_groups()
    assert set(group.tracks) == {tracks["flac"], tracks["mp3-320"]}


def test_the_task_logs_a_file_it_cannot_fingerprint_and_can_run_again(files, caplog):
    track, _ = track_import_file(files["flac"])
    track.audio.storage.delete(track.audio.name)
    track.audio.storage.save(track.audio.name, ContentFile(b"no longer audio"))
    assert fingerprint_track(str(track.pk)) is False
    assert "could not be fingerprinted" in caplog.text
    assert fingerprint_track(str(uuid.uuid4())) is False  # a track deleted meanwhile
