"""Listening to what the tests made: decode a file with ffmpeg, measure its loudness with ffmpeg's EBU R128 meter
(independently of music/processing.py's loudnorm), and find the loudest frequency in a stretch of it."""

import re
import subprocess
from pathlib import Path

import numpy as np

RATE = 22050


def decode(path: Path) -> np.ndarray:
    command = ["ffmpeg", "-loglevel", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"]
    return np.frombuffer(subprocess.run(command, capture_output=True, check=True).stdout, dtype="<f4")


def loudness(path: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP)."""
    command = ["ffmpeg", "-nostdin", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"]
    summary = subprocess.run(command, capture_output=True, text=True, check=True).stderr.split("Summary:")[-1]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return float(integrated.group(1)), float(peak.group(1))


def dominant_hz(samples: np.ndarray, start: float, end: float) -> float:
    part = samples[int(start * RATE) : int(end * RATE)]
    spectrum = np.abs(np.fft.rfft(part * np.hanning(part.size)))
    return float(np.fft.rfftfreq(part.size, 1 / RATE)[spectrum.argmax()])


def rms(samples: np.ndarray, start: float, end: float) -> float:
    part = samples[int(start * RATE) : int(end * RATE)]
    return float(np.sqrt(np.mean(part.astype(np.float64) ** 2)))
