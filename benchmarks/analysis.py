# ruff: noqa: E402  (Django is set up from the environment chosen below before the project is imported)
"""Audio analysis speed and accuracy: a generated 3-minute track (clicks at a known tempo over chords in a known
key) analysed with music.analysis.analyze_file(); prints the realtime factor (seconds of audio per second of
analysis) and how far tempo and key landed from the truth, for a few tempi and keys.

    .venv/bin/python benchmarks/analysis.py [--seconds 180]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import _scratch

_scratch.setup()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from music.analysis import analyze_file
from tests.music.audio import chords, clicks, write_wav

CASES = [
    (87.5, [["A", "C", "E"], ["D", "F", "A"], ["E", "G#", "B"], ["A", "C", "E"]], "A minor"),
    (124, [["C", "E", "G"], ["F", "A", "C"], ["G", "B", "D"], ["C", "E", "G"]], "C major"),
    (128, [["D", "F", "A"], ["G", "Bb", "D"], ["A", "C#", "E"], ["D", "F", "A"]], "D minor"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        audio_seconds = analysis_seconds = 0.0
        for bpm, progression, key in CASES:
            bars = chords(progression * int(args.seconds / (2 * len(progression)) + 1))[: int(args.seconds * 22050)]
            track = write_wav(Path(scratch) / f"{bpm}.wav", clicks(bpm, args.seconds) * 0.5 + bars)
            started = time.perf_counter()
            result = analyze_file(track)
            took = time.perf_counter() - started
            audio_seconds += result.duration
            analysis_seconds += took
            found_key = f"{result.key} ({result.camelot})" + ("" if result.key == key else " WRONG")
            print(
                f"{result.duration:.0f} s at {bpm} BPM in {key}: found {result.bpm} BPM "
                f"(off by {abs(result.bpm - bpm):.2f}), {found_key}, {result.loudness_lufs} LUFS, "
                f"energy {result.energy}; {took:.2f} s, realtime x{result.duration / took:.0f}"
            )
        print(f"realtime factor overall: x{audio_seconds / analysis_seconds:.0f} (one core, decode included)")


if __name__ == "__main__":
    main()
