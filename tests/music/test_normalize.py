"""A track's normalized copy: ffmpeg's two-pass loudnorm brings it to the target loudness under the true-peak
ceiling (one linear gain where the peaks allow it), with optional fades; the ReplayGain gain comes from the same
measurement. Making it again changes nothing; a new target replaces the copy; bad audio is refused cleanly."""

from decimal import Decimal

import numpy as np
import pytest

from music import processing
from music.errors import MusicError
from music.models import Track
from music.processing_services import track_normalize
from music.services import track_delete, track_import_file
from music.tasks import normalize_track
from tests.music.audio import RATE, chords, write_wav
from tests.music.conftest import stored_files
from tests.music.sound import decode, loudness, rms

pytestmark = pytest.mark.django_db


def quiet_song(path, level=0.03, seconds_each=2.0):
    """Chords rising and falling in level (music has a loudness range; a steady tone does not), far below -14."""
    music = chords([["A", "C", "E"], ["F", "A", "C"], ["C", "E", "G"], ["G", "B", "D"]] * 2, seconds_each, level)
    swell = 0.6 + 0.4 * np.sin(np.linspace(0, 3 * np.pi, music.size)) ** 2
    return write_wav(path, music * swell)


def spiky_song(path):
    """Quiet chords under loud clicks: raising it to -14 LUFS by one gain would push the clicks over -1 dBTP."""
    music = chords([["A", "C", "E"], ["G", "B", "D"]] * 4, 2.0, 0.02)
    music[:: RATE // 2] = 0.95
    return write_wav(path, music)


def imported(path) -> Track:
    track, _ = track_import_file(path)
    return track


def test_a_quiet_track_is_normalized_to_the_target_by_one_linear_gain(tmp_path):
    source = quiet_song(tmp_path / "quiet.wav")
    before, _ = loudness(source)
    measured = processing.measure_loudness(source)
    kind = processing.normalize(source, tmp_path / "out.wav", measured=measured, target_lufs=-14, true_peak=-1)
    assert kind == "linear"
    after, peak = loudness(tmp_path / "out.wav")
    assert before < -25 and abs(after - -14) < 0.5 and peak <= -1
    original, louder = decode(source), decode(tmp_path / "out.wav")
    gain = louder[RATE:-RATE] / np.where(np.abs(original) > 0.01, original, np.nan)[RATE:-RATE]
    assert np.nanstd(gain) < 0.02 * np.nanmean(gain)  # every sample scaled alike: the music is untouched


def test_a_track_whose_peaks_would_clip_is_limited_under_the_ceiling(tmp_path):
    source = spiky_song(tmp_path / "spiky.wav")
    measured = processing.measure_loudness(source)
    kind = processing.normalize(source, tmp_path / "out.flac", measured=measured, target_lufs=-14, true_peak=-1)
    after, peak = loudness(tmp_path / "out.flac")
    assert kind == "dynamic"
    assert abs(after - -14) < 1.0 and peak <= -0.9


def test_the_normalized_copy_and_replaygain_are_stored_on_the_track(tmp_path, media_root):
    track = imported(quiet_song(tmp_path / "quiet.wav"))
    integrated, _ = loudness(tmp_path / "quiet.wav")
    normalized = track_normalize(track_id=track.pk)
    track.refresh_from_db()
    assert track.normalized_audio.name.startswith("normalized/") and track.normalized_audio.name.endswith(".wav")
    assert track.normalized_target_lufs == Decimal("-14.00")
    assert abs(float(track.replaygain_db) - (-18 - integrated)) < 0.3  # ReplayGain 2.0: -18 LUFS reference
    assert normalized.normalized_audio.name == track.normalized_audio.name
    after, peak = loudness(media_root / track.normalized_audio.name)
    assert abs(after - -14) < 0.5 and peak <= -1


def test_normalizing_again_keeps_the_copy_and_a_new_target_replaces_it(
    tmp_path, media_root, settings, django_capture_on_commit_callbacks
):
    track = imported(quiet_song(tmp_path / "quiet.wav"))
    first = track_normalize(track_id=track.pk).normalized_audio.name
    written = (media_root / first).stat().st_mtime_ns
    assert track_normalize(track_id=track.pk).normalized_audio.name == first
    assert (media_root / first).stat().st_mtime_ns == written

    settings.MUSIC_NORMALIZE_TARGET_LUFS = -18.0
    with django_capture_on_commit_callbacks(execute=True):
        with_new_target = track_normalize(track_id=track.pk)
    assert with_new_target.normalized_target_lufs == Decimal("-18.00")
    assert abs(loudness(media_root / with_new_target.normalized_audio.name)[0] - -18) < 0.5
    assert not (media_root / first).exists()  # the old copy is gone once the change committed
    assert {path.name for path in stored_files(media_root / "normalized")} == {
        with_new_target.normalized_audio.name.rsplit("/", 1)[-1]
    }


def test_fades_shape_the_start_and_end_of_the_copy(tmp_path, media_root):
    track = imported(quiet_song(tmp_path / "quiet.wav", seconds_each=1.5))
    faded = track_normalize(track_id=track.pk, fade_in=2, fade_out=3)
    samples = decode(media_root / faded.normalized_audio.name)
    end = samples.size / RATE
    middle = rms(samples, end / 2 - 1, end / 2 + 1)
    assert rms(samples, 0, 0.2) < 0.1 * middle
    assert rms(samples, end - 0.2, end) < 0.1 * middle
    assert rms(samples, 2.5, 3.5) > 0.5 * middle  # after the fade in, full level


def test_silence_cannot_be_normalized_and_nothing_is_stored(tmp_path, media_root):
    track = imported(write_wav(tmp_path / "silence.wav", np.zeros(RATE * 3)))
    with pytest.raises(MusicError, match="silent"):
        track_normalize(track_id=track.pk)
    assert not (media_root / "normalized").exists()
    assert normalize_track(str(track.pk)).startswith("failed: ")
    track.refresh_from_db()
    assert not track.normalized_audio and track.replaygain_db is None


def test_targets_out_of_range_are_refused(tmp_path):
    track = imported(quiet_song(tmp_path / "quiet.wav"))
    with pytest.raises(MusicError, match="loudness target"):
        track_normalize(track_id=track.pk, target_lufs=3)


def test_the_task_normalizes_and_a_deleted_track_takes_its_copy_along(
    tmp_path, media_root, django_capture_on_commit_callbacks
):
    track = imported(quiet_song(tmp_path / "quiet.wav"))
    track_id = str(track.pk)
    name = normalize_track(track_id)
    assert (media_root / name).exists()
    assert normalize_track(track_id) == name
    track.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        track_delete(track)
    assert stored_files(media_root) == []
    assert normalize_track(track_id) is None
