"""Audio analysis: tempo, beats, first downbeat, mix-in and mix-out points, key (name and Camelot code), energy,
integrated loudness (EBU R128) and true peak, from one decode of the file.

Two backends behind analyze_file(), chosen by settings.MUSIC_ANALYSIS_BACKEND:
- "dsp" (music/dsp.py): our own numpy DSP, permissively licensed (BSD, like the rest of djbiz);
- "madmom" (music/madmom_analysis.py): madmom's recurrent beat networks and convolutional key networks. madmom's
  code is BSD but its trained models are CC BY-NC-SA 4.0: non-commercial use only.
What is shared (music/rhythm.py): the tempo's octave (87 or 174? 64 or 128?) chosen from the drums, in the DJ's BPM
range; the beat grid, first downbeat and phrase-aligned mix points; energy; loudness by ffmpeg's ebur128 filter
while the file is decoded, and the true peak."""

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings

from music import dsp, rhythm
from music.errors import MusicError

ANALYSIS_VERSION = 3  # bump when results change: tracks analysed by an older version are analysed again
BACKENDS = ("dsp", "madmom")
SAMPLE_RATE = 44100  # madmom's networks were trained at 44.1 kHz; the DSP backend halves it
CONTRACT_KEYS = ("path", "duration", "bpm", "key", "camelot", "energy", "loudness_lufs", "true_peak_db")
PITCH_CLASSES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
# Camelot wheel: the number of each tonic, for minor (A) and major (B) keys.
CAMELOT_MINOR = {"Ab": 1, "Eb": 2, "Bb": 3, "F": 4, "C": 5, "G": 6, "D": 7, "A": 8, "E": 9, "B": 10, "F#": 11, "C#": 12}
CAMELOT_MAJOR = {"B": 1, "F#": 2, "C#": 3, "Ab": 4, "Eb": 5, "Bb": 6, "F": 7, "C": 8, "G": 9, "D": 10, "A": 11, "E": 12}
_LOUDNESS = re.compile(r"I:\s+(-?[\d.]+|-inf) LUFS")
_SINC_HALF = 12  # interpolation taps each side of a point between samples


class AnalysisError(MusicError):
    code = "analysis_failed"


@dataclass(frozen=True)
class AnalysisResult:
    path: str
    duration: float
    bpm: float | None
    key: str | None
    camelot: str | None
    energy: int
    loudness_lufs: float | None
    true_peak_db: float | None
    first_downbeat: float | None = None  # seconds
    mix_in: float | None = None  # seconds: the first phrase's downbeat
    mix_out: float | None = None  # seconds: the last whole phrase's downbeat
    beats_ms: tuple[int, ...] = field(default=(), repr=False)
    backend: str = "dsp"

    def as_json(self) -> str:
        """manage.py analyze_audio's line: the contract's keys in its order, then the mix points."""
        values = {name: getattr(self, name) for name in CONTRACT_KEYS}
        values.update(first_downbeat=self.first_downbeat, mix_in=self.mix_in, mix_out=self.mix_out)
        return json.dumps(values)


@dataclass(frozen=True)
class Audio:
    samples: np.ndarray  # mono float32 at SAMPLE_RATE
    loudness_lufs: float | None
    true_peak_db: float | None

    @property
    def duration(self) -> float:
        return self.samples.size / SAMPLE_RATE


def analyze_file(path: Path, *, backend: str = "") -> AnalysisResult:
    """Everything the library stores about how a file sounds, by `backend` (default: the setting). Raises
    AnalysisError for a file ffmpeg cannot decode, or one with no sound long enough to measure."""
    backend = backend or settings.MUSIC_ANALYSIS_BACKEND
    if backend not in BACKENDS:
        raise AnalysisError(f"Unknown analysis backend {backend!r} (choose from {', '.join(BACKENDS)}).")
    audio = decode(path)
    if audio.duration < 1:
        raise AnalysisError(f"{path.name} is too short to analyse.")
    bands = dsp.Bands.of(audio.samples, SAMPLE_RATE)
    if backend == "madmom":
        from music import madmom_analysis  # imported on use: its networks load once per process

        activation, fps = madmom_analysis.beat_activation(audio.samples)
    else:
        activation, fps = bands.beat_activation, bands.fps
    low, high = settings.MUSIC_BPM_RANGE
    grid = rhythm.beat_grid(activation, fps, bands, low=low, high=high)
    if backend == "madmom":
        tonic, mode = madmom_analysis.key(audio.samples, phrase_starts=grid.phrase_starts())
    else:
        tonic, mode = dsp.key(audio.samples, SAMPLE_RATE, phrase_starts=grid.phrase_starts())
    key_name, camelot = key_names(tonic, mode)
    return AnalysisResult(
        path=str(path),
        duration=round(audio.duration, 3),
        bpm=grid.bpm,
        key=key_name,
        camelot=camelot,
        energy=_energy(bands.onsets, audio.loudness_lufs),
        loudness_lufs=audio.loudness_lufs,
        true_peak_db=audio.true_peak_db,
        first_downbeat=grid.first_downbeat,
        mix_in=grid.mix_in,
        mix_out=grid.mix_out,
        beats_ms=tuple(round(beat * 1000) for beat in grid.beats),
        backend=backend,
    )


def key_names(tonic: int | None, mode: str | None) -> tuple[str | None, str | None]:
    """(9, "minor") -> ("A minor", "8A")."""
    if tonic is None or mode is None:
        return None, None
    name = PITCH_CLASSES[tonic]
    number = (CAMELOT_MAJOR if mode == "major" else CAMELOT_MINOR)[name]
    return f"{name} {mode}", f"{number}{'B' if mode == 'major' else 'A'}"


def decode(path: Path) -> Audio:
    """The file as mono samples, its integrated loudness measured by ffmpeg's EBU R128 meter on the original
    channels in the same ffmpeg run, and its true peak (see true_peak_db()). The file is given as a file: URL, so
    a name can be neither an option nor another protocol."""
    graph = (
        "[0:a]asplit[meter][out];[meter]ebur128,anullsink;"
        f"[out]aresample={SAMPLE_RATE},aformat=sample_fmts=flt:channel_layouts=stereo[pcm]"
    )
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", f"file:{path.resolve()}"]
    command += ["-filter_complex", graph, "-map", "[pcm]", "-f", "f32le", "-"]
    result = subprocess.run(command, capture_output=True, check=False)  # noqa: S603 (see above)
    log = result.stderr.decode(errors="replace")
    if result.returncode != 0 or not result.stdout:
        reason = [line for line in log.strip().splitlines() if "Parsed_ebur128" not in line]
        raise AnalysisError(f"{path.name} cannot be decoded ({reason[-1] if reason else 'no audio'}).")
    stereo = np.frombuffer(result.stdout, dtype=np.float32).reshape(-1, 2)
    loudness = _number(_LOUDNESS, log[log.rfind("Summary:") :])
    return Audio(stereo.mean(axis=1, dtype=np.float32), loudness, true_peak_db(stereo))


def true_peak_db(channels: np.ndarray) -> float | None:
    """The highest level between samples as well as at them (dBTP, ITU-R BS.1770-4: 4× oversampling), found by
    interpolating only around the samples within 4 dB of the highest sample: the inter-sample peak of real audio
    is no more than a few dB above its sample peak, and oversampling all of it would take longer than the rest of
    the analysis (ffmpeg's meter does)."""
    magnitudes = np.abs(channels)
    highest = float(magnitudes.max()) if magnitudes.size else 0.0
    if highest == 0:
        return None
    rows, columns = np.nonzero(magnitudes >= highest * 10 ** (-4 / 20))
    if rows.size > 50_000:  # a square wave or a clipped master: its loudest samples are its peak
        keep = np.argsort(magnitudes[rows, columns])[-50_000:]
        rows, columns = rows[keep], columns[keep]
    taps = np.arange(-_SINC_HALF + 1, _SINC_HALF + 1)  # the samples each side of a point between two samples
    padded = np.pad(channels, ((_SINC_HALF, _SINC_HALF), (0, 0)))  # silence before and after
    positions = rows[:, None] + _SINC_HALF + taps[None, :]
    peak = highest
    for phase in (0.25, 0.5, 0.75):
        weights = np.sinc(taps - phase) * np.hanning(2 * _SINC_HALF + 2)[1:-1]
        peak = max(peak, float(np.abs(padded[positions, columns[:, None]] @ weights).max()))
    return round(20 * np.log10(peak), 1)


def _number(pattern: re.Pattern, text: str) -> float | None:
    match = pattern.search(text)
    if not match or match.group(1) == "-inf":
        return None
    return float(match.group(1))


def _energy(onsets: np.ndarray, loudness: float | None) -> int:
    """0-100: mostly loudness (-30 LUFS and below is 0, -6 and above is full), the rest onset density."""
    loud = 0.0 if loudness is None else min(max((loudness + 30) / 24, 0.0), 1.0)
    busy = min(float((onsets > onsets.std()).mean()) * 4, 1.0) if onsets.size else 0.0
    return round(100 * (0.7 * loud + 0.3 * busy))
