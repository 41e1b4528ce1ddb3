"""Analysis on audio with known tempo and key (tests/music/audio.py), and manage.py analyze_audio's contract:
one JSON object per file per line, errors as {"path", "error"}, non-zero exit when a file failed."""

import json
import subprocess
import sys

import numpy as np
import pytest

from music.analysis import analyze_file, true_peak_db
from tests.music.audio import chords, clicks, write_wav


@pytest.mark.parametrize("bpm", [87.5, 96, 120, 128, 138])  # 138: its strongest lag is 3 beats
def test_the_tempo_of_a_click_track(tmp_path, bpm):
    result = analyze_file(write_wav(tmp_path / f"{bpm}.wav", clicks(bpm)))
    assert result.bpm == pytest.approx(bpm, abs=0.5)


def test_a_range_narrower_than_an_octave_folds_half_and_double_tempo_into_it(tmp_path, settings):
    fast = write_wav(tmp_path / "174.wav", clicks(174))
    settings.MUSIC_BPM_RANGE = (70, 140)
    assert analyze_file(fast).bpm == pytest.approx(87, abs=0.5)
    settings.MUSIC_BPM_RANGE = (100, 200)  # a drum & bass DJ
    assert analyze_file(fast).bpm == pytest.approx(174, abs=1)


@pytest.mark.parametrize(
    ("progression", "key", "camelot"),
    [
        ([["A", "C", "E"], ["D", "F", "A"], ["E", "G#", "B"], ["A", "C", "E"]], "A minor", "8A"),
        ([["C", "E", "G"], ["F", "A", "C"], ["G", "B", "D"], ["C", "E", "G"]], "C major", "8B"),
        ([["D", "F", "A"], ["G", "Bb", "D"], ["A", "C#", "E"], ["D", "F", "A"]], "D minor", "7A"),
    ],
)
def test_the_key_of_a_chord_progression(tmp_path, progression, key, camelot):
    result = analyze_file(write_wav(tmp_path / "song.wav", chords(progression)))
    assert (result.key, result.camelot) == (key, camelot)


def test_loudness_true_peak_and_energy(tmp_path):
    quiet = analyze_file(write_wav(tmp_path / "quiet.wav", clicks(120, level=0.05)))
    loud = analyze_file(write_wav(tmp_path / "loud.wav", clicks(120, level=0.9)))
    assert loud.loudness_lufs - quiet.loudness_lufs == pytest.approx(25, abs=1.5)  # 0.9/0.05 is 25 dB
    assert loud.true_peak_db <= 0.5
    assert 0 <= quiet.energy < loud.energy <= 100
    assert loud.duration == pytest.approx(20, abs=0.01)


def test_analyze_audio_prints_a_json_line_per_file_and_fails_for_a_bad_one(tmp_path):
    song = write_wav(tmp_path / "song.wav", clicks(120) + chords([["A", "C", "E"]] * 10))
    bad = tmp_path / "notes.mp3"
    bad.write_text("not audio\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "analyze_audio", str(song), str(bad), "--json"], capture_output=True, text=True
    )
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    contract = ["path", "duration", "bpm", "key", "camelot", "energy", "loudness_lufs", "true_peak_db"]
    assert list(first) == [*contract, "first_downbeat", "mix_in", "mix_out"]
    assert (first["path"], round(first["bpm"])) == (str(song), 120)
    assert second["path"] == str(bad)
    assert second["error"].startswith("notes.mp3 cannot be decoded")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == "CommandError: 1 of 2 files could not be analysed."


def test_the_true_peak_is_found_between_samples():
    # a quarter-rate sine sampled 45 degrees off its crests: every sample is at 0.354, the wave peaks at 0.5
    time = np.arange(44100) / 44100
    wave = 0.5 * np.sin(2 * np.pi * 11025 * time + np.pi / 4)
    assert np.abs(wave).max() == pytest.approx(0.354, abs=0.001)
    assert true_peak_db(np.stack([wave, wave * 0.5], axis=1)) == pytest.approx(-6.0, abs=0.2)
