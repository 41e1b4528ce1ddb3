"""Our own DSP on numpy (BSD, like the rest of djbiz): a spectrogram, onset envelopes per band (the whole band, the
kick's, the snare's and clap's, the hats'), and the key from a chroma profile matched against key profiles. The
permissive analysis backend uses all of it; the madmom backend uses the band envelopes to settle the tempo's octave
and the downbeat."""

from dataclasses import dataclass

import numpy as np

RATE = 22050  # the decoded 44.1 kHz halved: enough for rhythm and pitch
FRAME = 2048
HOP = 512
# Key profiles, tonic first: Krumhansl-Kessler's probe-tone ratings.
MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


@dataclass(frozen=True)
class Bands:
    """Onset envelopes (spectral flux, one value a frame) and the magnitude spectrum they come from."""

    spectrum: np.ndarray  # frames × bins, float32
    onsets: np.ndarray  # the whole band, minus its local mean: beats, not swells
    kick: np.ndarray  # 30-120 Hz
    snare: np.ndarray  # 1-5 kHz
    hats: np.ndarray  # above 7 kHz
    fps: float = RATE / HOP

    @classmethod
    def of(cls, samples: np.ndarray, sample_rate: int) -> "Bands":
        step = sample_rate // RATE
        halved = samples[: samples.size // step * step].reshape(-1, step).mean(axis=1) if step > 1 else samples
        halved = np.pad(halved, (FRAME // 2, FRAME // 2))  # frame i is centred on i × HOP
        frames = np.lib.stride_tricks.sliding_window_view(halved, FRAME)[::HOP]
        window = np.hanning(FRAME).astype(np.float32)
        spectrum = np.abs(np.fft.rfft(frames * window, axis=1)).astype(np.float32)
        frequencies = np.fft.rfftfreq(FRAME, 1 / RATE)
        rise = np.maximum(np.diff(np.log1p(100 * spectrum), axis=0, prepend=0), 0)

        def flux(low: float, high: float) -> np.ndarray:
            return rise[:, (frequencies >= low) & (frequencies < high)].sum(axis=1)

        whole = rise.sum(axis=1)
        onsets = whole - np.convolve(whole, np.ones(16) / 16, mode="same")
        return cls(spectrum, onsets, flux(30, 120), flux(1000, 5000), flux(7000, RATE / 2))

    @property
    def beat_activation(self) -> np.ndarray:
        """Onsets and kicks, each scaled to its mean: where beats are likely (the kick keeps the grid off the
        hats' off-beats)."""
        onsets = np.maximum(self.onsets, 0)
        return onsets / max(onsets.mean(), 1e-9) + self.kick / max(self.kick.mean(), 1e-9)


def key(bands: Bands) -> tuple[int | None, str | None]:
    """(tonic pitch class, "major" or "minor"): the key profile best correlated with the music's pitch-class
    energy."""
    chroma = chromagram(bands.spectrum).sum(axis=0)
    if not chroma.any():
        return None, None
    scores = []
    for tonic in range(12):
        for mode, profile in (("major", MAJOR), ("minor", MINOR)):
            scores.append((np.corrcoef(chroma, np.roll(profile, tonic))[0, 1], tonic, mode))
    _, tonic, mode = max(scores)
    return tonic, mode


def chromagram(spectrum: np.ndarray) -> np.ndarray:
    """Frames × 12 pitch classes (C first): the energy of the bins from 55 Hz to 2 kHz, by nearest pitch."""
    frequencies = np.fft.rfftfreq(FRAME, 1 / RATE)
    audible = (frequencies >= 55) & (frequencies <= 2000)
    pitch = np.round(12 * np.log2(frequencies[audible] / 440.0) + 69).astype(int) % 12
    weights = np.zeros((audible.sum(), 12), dtype=np.float32)
    weights[np.arange(pitch.size), pitch] = 1
    return (spectrum[:, audible] ** 2) @ weights
