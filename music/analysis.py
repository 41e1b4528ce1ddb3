"""Audio analysis: tempo, key (name and Camelot code), energy, integrated loudness (EBU R128) and true peak,
from one decode of the file.

This is the permissively licensed backend (our own DSP on numpy, BSD; ffmpeg decodes and measures loudness):
tempo from the autocorrelation of a spectral-flux onset envelope, folded into the DJ's BPM range (the usual
half/double-tempo errors, 87 vs 174 or 64 vs 128, land on the DJ's side of the range); key from a chroma profile
matched against the Krumhansl-Kessler major and minor key profiles. The music-library issue adds madmom (whose
trained models are non-commercial) behind the same analyze_file()."""

import json
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from music.errors import MusicError

ANALYSIS_VERSION = 1  # bump when results change: tracks analysed by an older version are analysed again
SAMPLE_RATE = 22050
FRAME = 2048
HOP = 512
PITCH_CLASSES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
# Krumhansl-Kessler probe-tone profiles, tonic first.
MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
# Camelot wheel: the number of each tonic, for minor (A) and major (B) keys.
CAMELOT_MINOR = {"Ab": 1, "Eb": 2, "Bb": 3, "F": 4, "C": 5, "G": 6, "D": 7, "A": 8, "E": 9, "B": 10, "F#": 11, "C#": 12}
CAMELOT_MAJOR = {"B": 1, "F#": 2, "C#": 3, "Ab": 4, "Eb": 5, "Bb": 6, "F": 7, "C": 8, "G": 9, "D": 10, "A": 11, "E": 12}
_LOUDNESS = re.compile(r"I:\s+(-?[\d.]+|-inf) LUFS")
_TRUE_PEAK = re.compile(r"Peak:\s+(-?[\d.]+|-inf) dBFS")


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

    def as_json(self) -> str:
        return json.dumps(asdict(self))


def analyze_file(path: Path) -> AnalysisResult:
    """Everything the library stores about how a file sounds. Raises AnalysisError for a file ffmpeg cannot
    decode, or one with no sound long enough to measure."""
    samples = _decode(path)
    if samples.size < SAMPLE_RATE:  # under a second
        raise AnalysisError(f"{path.name} is too short to analyse.")
    spectrum = _spectrogram(samples)
    onsets = _onset_envelope(spectrum)
    loudness, true_peak = _loudness(path)
    key_name, camelot = detect_key(spectrum)
    return AnalysisResult(
        path=str(path),
        duration=round(samples.size / SAMPLE_RATE, 3),
        bpm=detect_bpm(onsets),
        key=key_name,
        camelot=camelot,
        energy=_energy(onsets, loudness),
        loudness_lufs=loudness,
        true_peak_db=true_peak,
    )


def _ffmpeg(*arguments: str, path: Path, text: bool = False) -> subprocess.CompletedProcess:
    """ffmpeg with a fixed argument list; the file is given as a file: URL, so a name can be neither an option
    nor another protocol."""
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-i", f"file:{path.resolve()}", *arguments]
    return subprocess.run(command, capture_output=True, text=text, check=False)  # noqa: S603 (see above)


def _decode(path: Path) -> np.ndarray:
    result = _ffmpeg("-loglevel", "error", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le", "-", path=path)
    if result.returncode != 0 or not result.stdout:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise AnalysisError(f"{path.name} cannot be decoded ({reason[-1] if reason else 'no audio'}).")
    return np.frombuffer(result.stdout, dtype=np.float32)


def _spectrogram(samples: np.ndarray) -> np.ndarray:
    """Magnitudes, frames × bins, Hann-windowed."""
    frames = np.lib.stride_tricks.sliding_window_view(samples, FRAME)[::HOP]
    return np.abs(np.fft.rfft(frames * np.hanning(FRAME), axis=1))


def _onset_envelope(spectrum: np.ndarray) -> np.ndarray:
    """Spectral flux: how much louder each frame got than the one before, summed over the bins."""
    compressed = np.log1p(100 * spectrum)
    flux = np.maximum(np.diff(compressed, axis=0), 0).sum(axis=1)
    return flux - np.convolve(flux, np.ones(16) / 16, mode="same")  # minus the local mean: beats, not swells


def detect_bpm(onsets: np.ndarray) -> float | None:
    """The tempo whose beat period best matches the onset envelope's autocorrelation, in the DJ's range."""
    low, high = settings.MUSIC_BPM_RANGE
    frame_rate = SAMPLE_RATE / HOP
    envelope = onsets - onsets.mean()
    if not envelope.any():
        return None
    correlation = np.correlate(envelope, envelope, mode="full")[envelope.size - 1 :]
    shortest, longest = int(frame_rate * 60 / 240), int(frame_rate * 60 / 40)  # search 40 to 240 BPM
    lags = np.arange(shortest, min(longest, correlation.size - 1))
    if lags.size == 0:
        return None
    best = lags[np.argmax(correlation[lags])]
    # The strongest lag can be a bar or two beats: take the shortest lag nearly as strong, found at a half or a
    # third of it (a factor of 3 would not fold back into the range below).
    for divisor in (3, 2):
        near = np.arange(round(best / divisor) - 1, round(best / divisor) + 2)
        near = near[near >= shortest]
        if near.size and correlation[near].max() >= 0.8 * correlation[best]:
            best = near[np.argmax(correlation[near])]
            break
    # A frame is 23 ms, coarse for one beat period: measure the period over the longest run of beats the
    # correlation still shows (up to 8), at its peak between frames.
    lag = _peak_between_frames(correlation, best)
    for beats in (8, 4, 2):
        centre = round(beats * lag)
        if centre + beats < correlation.size - 1:
            window = np.arange(centre - beats, centre + beats + 1)
            lag = _peak_between_frames(correlation, window[np.argmax(correlation[window])]) / beats
            break
    bpm = 60 * frame_rate / lag
    while bpm < low:
        bpm *= 2
    while bpm >= high:
        bpm /= 2
    return round(bpm, 2)


def _peak_between_frames(values: np.ndarray, at: int) -> float:
    """The peak of the parabola through values[at - 1 : at + 2], as a fractional index."""
    before, middle, after = values[at - 1], values[at], values[at + 1]
    bend = before - 2 * middle + after
    return at + (0.5 * (before - after) / bend if bend else 0.0)


def detect_key(spectrum: np.ndarray) -> tuple[str | None, str | None]:
    """("A minor", "8A"): the key profile best correlated with the music's pitch-class energy."""
    frequencies = np.fft.rfftfreq(FRAME, 1 / SAMPLE_RATE)
    audible = (frequencies >= 55) & (frequencies <= 2000)
    pitch = np.round(12 * np.log2(frequencies[audible] / 440.0) + 69).astype(int) % 12
    chroma = np.zeros(12)
    np.add.at(chroma, pitch, (spectrum[:, audible] ** 2).sum(axis=0))
    if not chroma.any():
        return None, None
    scores = []
    for tonic in range(12):
        for mode, profile in (("major", MAJOR), ("minor", MINOR)):
            scores.append((np.corrcoef(chroma, np.roll(profile, tonic))[0, 1], tonic, mode))
    _, tonic, mode = max(scores)
    name = PITCH_CLASSES[tonic]
    number = (CAMELOT_MAJOR if mode == "major" else CAMELOT_MINOR)[name]
    return f"{name} {mode}", f"{number}{'B' if mode == 'major' else 'A'}"


def _loudness(path: Path) -> tuple[float | None, float | None]:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's EBU R128 meter."""
    output = _ffmpeg("-af", "ebur128=peak=true", "-f", "null", "-", path=path, text=True).stderr
    summary = output[output.rfind("Summary:") :]
    return _number(_LOUDNESS, summary), _number(_TRUE_PEAK, summary)


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
