# ruff: noqa: E402  (Django is set up from the environment chosen below before the project is imported)
"""Duplicate grouping speed and quality on a synthetic DJ library: prints tracks/s for grouping (decoding the stored
fingerprints and music.duplicate_finder.find_groups), the candidate pairs the index let through, and precision and
recall of the pairs found against the truth; then fpcalc's speed on a generated 3-minute file.

The library: --tracks fingerprints (default 20000) of 2.5–7 minute tracks, as Chromaprint makes them (one 32-bit
integer per ~0.124 s of the first two minutes; consecutive integers differ in a few bits, as real ones do). One in
ten recordings has 1–3 extra copies: bits flipped at a codec's rate (1–8%), some trimmed at the start by up to
10 s. One in fifty has a different recording under the same title and artist (a cover, a live take).

    .venv/bin/python benchmarks/duplicates.py [--tracks 20000]
"""

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import _scratch

_scratch.setup()

import chromaprint
import numpy as np

from music.duplicate_finder import MAX_TRIM_SECONDS, Candidate, find_groups
from music.duplicates import duplicate_groups
from music.fingerprint import ITEM_SECONDS, decode, fingerprint_file
from music.models import Track
from tests.music.audio import chords, clicks, write_wav

ITEMS = round(120 / ITEM_SECONDS)


def recording(rng: np.random.Generator) -> np.ndarray:
    """A random walk in 32-bit space: each integer flips each bit of the one before with probability 0.1."""
    flips = rng.random((ITEMS, 32)) < 0.1
    flips[0] = rng.random(32) < 0.5
    bits = np.logical_xor.accumulate(flips, axis=0)
    return (bits.astype(np.uint64) << np.arange(32, dtype=np.uint64)).sum(axis=1).astype(np.uint32)


def copy_of(items: np.ndarray, rng: np.random.Generator, trim_seconds: float) -> np.ndarray:
    noise = rng.random((items.size, 32)) < rng.uniform(0.01, 0.08)
    flipped = items ^ (noise.astype(np.uint64) << np.arange(32, dtype=np.uint64)).sum(axis=1).astype(np.uint32)
    return flipped[round(trim_seconds / ITEM_SECONDS) :]


def library(size: int, seed: int = 1):
    """(compressed fingerprints, durations, names, truth: the set of index pairs that are one recording)."""
    rng = np.random.default_rng(seed)
    fingerprints, durations, names, recording_of = [], [], [], []
    number = 0
    while len(fingerprints) < size:
        items, duration = recording(rng), rng.uniform(150, 420)
        name = f"song {number} / artist {number}"
        copies = [(items, duration)]
        if rng.random() < 0.1:
            for _ in range(rng.integers(1, 4)):
                trim = rng.uniform(0, 10) if rng.random() < 0.5 else 0.0
                copies.append((copy_of(items, rng, trim), duration - trim))
        for items_, duration_ in copies:
            fingerprints.append(chromaprint.encode_fingerprint(items_.tolist(), 2).decode())
            durations.append(duration_)
            names.append(name)
            recording_of.append(number)
        if rng.random() < 0.02:  # another recording under the same name, about as long
            fingerprints.append(chromaprint.encode_fingerprint(recording(rng).tolist(), 2).decode())
            durations.append(duration + rng.uniform(-5, 5))
            names.append(name)
            recording_of.append(-1 - number)
        number += 1
    fingerprints, durations, names, recording_of = (x[:size] for x in (fingerprints, durations, names, recording_of))
    members: dict[int, list[int]] = {}
    for index, recorded in enumerate(recording_of):
        members.setdefault(recorded, []).append(index)
    truth = {(a, b) for group in members.values() for i, a in enumerate(group) for b in group[i + 1 :]}
    return fingerprints, durations, names, truth


def fpcalc_speed(seconds: float = 180.0) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        progression = [["A", "C", "E"], ["F", "A", "C"], ["C", "E", "G"], ["G", "B", "D"]]
        bars = chords(progression * int(seconds / 8 + 1))[: int(seconds * 22050)]
        wav = write_wav(Path(scratch) / "song.wav", clicks(124, seconds) * 0.5 + bars)
        mp3 = Path(scratch) / "song.mp3"
        subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(wav), "-b:a", "192k", str(mp3)], check=True)
        started = time.perf_counter()
        for _ in range(5):
            fingerprint_file(mp3)
        return 5 / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tracks", type=int, default=20000)
    args = parser.parse_args()
    started = time.perf_counter()
    fingerprints, durations, names, truth = library(args.tracks)
    print(f"library: {args.tracks} tracks, {len(truth)} duplicate pairs, made in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    candidates = [
        Candidate(key=index, duration=duration, fingerprint=decode(fingerprint), name=name)
        for index, (fingerprint, duration, name) in enumerate(zip(fingerprints, durations, names, strict=True))
    ]
    decoded = time.perf_counter()
    groups = find_groups(candidates)
    finished = time.perf_counter()

    found = {
        (min(a.key, b.key), max(a.key, b.key)) for group in groups for i, a in enumerate(group) for b in group[i + 1 :]
    }
    right = len(found & truth)
    print(f"decoding: {decoded - started:.2f} s; grouping: {finished - decoded:.2f} s")
    print(f"grouping: {args.tracks / (finished - started):.0f} tracks/s ({finished - started:.2f} s in all)")
    print(f"groups: {len(groups)}; pairs found {len(found)}, right {right}")
    print(f"precision {right / max(1, len(found)):.4f}, recall {right / max(1, len(truth)):.4f}")
    print(f"(copies trimmed by up to 10 s; durations within {MAX_TRIM_SECONDS:.0f} s are compared)")
    with _scratch.scratch_database() as database:
        rows = [
            Track(
                title=name.split(" / ")[0],
                artist=name.split(" / ")[1],
                duration_ms=round(duration * 1000),
                fingerprint=fp,
            )
            for fp, duration, name in zip(fingerprints, durations, names, strict=True)
        ]
        Track.objects.bulk_create(rows, batch_size=1000)
        started = time.perf_counter()
        groups = duplicate_groups()
        elapsed = time.perf_counter() - started
        print(
            f"music.duplicates.duplicate_groups() on {database}: {len(groups)} groups, {elapsed:.2f} s, "
            f"{args.tracks / elapsed:.0f} tracks/s (the duplicates page and find_duplicates do this)"
        )
        started = time.perf_counter()
        duplicate_groups()
        print(f"again, the library unchanged (the page's next visits): {1000 * (time.perf_counter() - started):.0f} ms")
    print(f"fpcalc: {fpcalc_speed():.1f} files/s on a 3-minute MP3 (the first 120 s are fingerprinted)")


if __name__ == "__main__":
    main()
