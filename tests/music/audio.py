"""Test audio made by the tests (no binaries committed): tones with known tempo and key from numpy, written as 16-bit
WAV, and tones encoded by ffmpeg in each container the library takes."""

import json
import subprocess
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


def encode(path: Path, seconds: float = 1.0, frequency: int = 440, cover: Path | None = None, **tags: str) -> Path:
    """A tone encoded by ffmpeg in the container the extension names (mp3, m4a, flac, ogg, opus, wav, aiff), with
    ffmpeg's own tags and, for mp3, m4a and flac, `cover` attached as ffmpeg attaches it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tone = f"sine=frequency={frequency}:duration={seconds}"
    command = ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", tone]
    if cover is not None:
        command += ["-i", str(cover), "-map", "0:a", "-map", "1:v", "-c:v", "copy", "-disposition:v", "attached_pic"]
        command += ["-metadata:s:v", "comment=Cover (front)"]
    codec = {".ogg": "libvorbis", ".opus": "libopus", ".m4a": "aac"}.get(path.suffix)
    command += ["-c:a", codec] if codec else []
    command += [arg for name, value in tags.items() for arg in ("-metadata", f"{name}={value}")]
    subprocess.run([*command, str(path)], check=True)
    return path


def ffprobe_tags(path: Path) -> tuple[dict[str, str], list[dict]]:
    """What ffprobe reads from a file: its tags (container and audio stream tags together, keys lower-cased) and its
    streams (an embedded cover is a video stream with the attached_pic disposition)."""
    command = ["ffprobe", "-v", "error", "-show_entries", "format_tags:stream", "-of", "json", str(path)]
    found = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    tags = {key.lower(): value for key, value in found.get("format", {}).get("tags", {}).items()}
    for stream in found["streams"]:
        if stream["codec_type"] == "audio":
            tags |= {key.lower(): value for key, value in stream.get("tags", {}).items()}
    return tags, found["streams"]
