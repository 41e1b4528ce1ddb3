"""After a file is added, a q2 task analyses it and stores tempo, key, energy and loudness on the track; the task
is idempotent, and a file that cannot be analysed marks the track failed with the reason."""

from decimal import Decimal

import pytest
from django_q.conf import Conf

from music.analysis import ANALYSIS_VERSION
from music.models import Track
from music.services import track_analyze, track_import_file
from tests.music.audio import chords, clicks, write_wav

pytestmark = pytest.mark.django_db


@pytest.fixture
def inline_tasks(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)  # q2 tasks run inline, when the import commits


def test_an_imported_file_is_analysed_after_commit(tmp_path, inline_tasks, django_capture_on_commit_callbacks):
    song = write_wav(tmp_path / "song.wav", clicks(120) * 0.5 + chords([["A", "C", "E"]] * 10))
    with django_capture_on_commit_callbacks(execute=True):
        track, _ = track_import_file(song)
    track.refresh_from_db()
    assert (track.analysis_status, track.analysis_version, track.analysis_error) == ("done", ANALYSIS_VERSION, "")
    assert abs(track.bpm - Decimal("120")) < Decimal("0.5")
    assert (track.key, track.camelot) == ("A minor", "8A")
    assert track.loudness_lufs < 0 and track.true_peak_db <= Decimal("0.5")
    assert 0 < track.energy <= 100
    assert track.duration_ms == 20000


def test_analysing_again_changes_nothing(tmp_path):
    track, _ = track_import_file(write_wav(tmp_path / "song.wav", clicks(100)))
    analysed = track_analyze(track.pk)
    Track.objects.filter(pk=track.pk).update(bpm=Decimal("99.00"))  # as a DJ's correction would
    assert track_analyze(track.pk).analyzed_at == analysed.analyzed_at
    assert Track.objects.get(pk=track.pk).bpm == Decimal("99.00")


def test_a_file_that_cannot_be_analysed_marks_the_track_failed(tmp_path):
    track, _ = track_import_file(write_wav(tmp_path / "song.wav", clicks(100)))
    track.audio.storage.delete(track.audio.name)  # the file went missing from storage
    failed = track_analyze(track.pk)
    assert failed.analysis_status == "failed"
    assert "cannot be decoded" in failed.analysis_error
    assert track_analyze(track.pk).analysis_status == "failed"  # and the task can run again
