"""Test audio with known tempo and key, made with numpy and written as 16-bit WAV (no binaries committed)."""

import wave
from pathlib import Path

import numpy as np

RATE = 22050
NOTE = {"C": 60, "C#": 61, "D": 62, "E": 64, "F": 65, "G": 67, "G#": 68, "A": 69, "Bb": 70, "B": 71}


def write_wav(path: Path, signal: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(signal, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())
    return path


def clicks(bpm: float, seconds: float = 20.0, level: float = 0.8) -> np.ndarray:
    """A short decaying burst on every beat."""
    signal = np.zeros(int(seconds * RATE))
    burst = np.random.default_rng(7).uniform(-1, 1, int(0.03 * RATE)) * np.exp(-np.linspace(0, 8, int(0.03 * RATE)))
    for start in np.arange(0, seconds - 0.05, 60 / bpm):
        at = int(start * RATE)
        signal[at : at + burst.size] += burst * level
    return signal


def chords(progression: list[list[str]], seconds_each: float = 2.0, level: float = 0.2) -> np.ndarray:
    """Each chord's notes (with a bass note an octave below the first) as sines with a few harmonics."""
    time = np.arange(int(seconds_each * RATE)) / RATE
    parts = []
    for chord in progression:
        midi = [NOTE[note] for note in chord] + [NOTE[chord[0]] - 12]
        tone = sum(
            np.sin(2 * np.pi * 440 * 2 ** ((m - 69) / 12) * harmonic * time) / harmonic
            for m in midi
            for harmonic in (1, 2, 3)
        )
        parts.append(tone / len(midi) * level)
    return np.concatenate(parts)
