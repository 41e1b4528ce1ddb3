"""Acoustic fingerprints with Chromaprint: Debian's `fpcalc` (libchromaprint-tools, a separate LGPL-2.1+ program
run as a subprocess) makes them, pyacoustid's `chromaprint` bindings decode them; the one module that runs either.

A fingerprint is what AcoustID stores and looks up: Chromaprint's compressed, base64 text. Decoded, it is one 32-bit
integer per ~0.124 s of audio (the first two minutes), each bit a coarse feature of the sound there. Two copies of
one recording (another format, bitrate or a trimmed start) give nearly the same integers at some offset; different
recordings disagree on about half of the bits. `compare()` finds that offset and counts the differing bits, as
AcoustID's matching does."""

import ctypes
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import chromaprint
import numpy as np
from django.conf import settings

from music.errors import MusicError

SECONDS = 120  # fpcalc's default: the first two minutes are enough to tell recordings apart
ITEM_SECONDS = 4096 / 3 / 11025  # Chromaprint's step between two fingerprint integers (~0.124 s)
TIMEOUT_SECONDS = 120
COARSE_STEP = 8  # compare() first looks at every 8th integer...
COARSE_KEEP = 4  # ...and counts the 4 best offsets in full
COARSE_MIN_ITEMS = 256  # (shorter fingerprints are counted in full at every offset)


class FingerprintError(MusicError):
    code = "fingerprint"


@dataclass(frozen=True)
class Fingerprint:
    duration: float
    compressed: str


@dataclass(frozen=True)
class Comparison:
    bit_error_rate: float  # at the best offset: 0 for the same audio, ~0.5 for unrelated audio
    offset_seconds: float  # how far into the first's audio the second's starts (> 0: the second is trimmed)
    overlap_items: int


def fingerprint_file(path: Path) -> Fingerprint:
    """The file's Chromaprint fingerprint, by fpcalc. Raises FingerprintError for a file fpcalc cannot decode (or
    when fpcalc is missing).

    fpcalc runs here rather than through `acoustid.fingerprint_file(force_fpcalc=True)`: Debian's fpcalc 1.5.1
    with FFmpeg 5 reports "Error decoding audio frame (End of file)" and exits 3 at the end of every file, after
    a good fingerprint; `-ignore-errors` makes it exit 0, and pyacoustid cannot pass that option."""
    command = [settings.MUSIC_FPCALC, "-json", "-ignore-errors", "-length", str(SECONDS), str(path.resolve())]
    try:
        run = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603 (fixed options; an absolute path)
    except FileNotFoundError as error:
        message = f"fpcalc was not found ({settings.MUSIC_FPCALC}): install libchromaprint-tools."
        raise FingerprintError(message, code="fpcalc_missing") from error
    except subprocess.TimeoutExpired as error:
        raise FingerprintError(f"{path.name} took longer than {TIMEOUT_SECONDS} s to fingerprint.") from error
    try:
        output = json.loads(run.stdout)
        fingerprint = Fingerprint(duration=float(output["duration"]), compressed=str(output["fingerprint"]))
    except (ValueError, KeyError, TypeError) as error:
        raise FingerprintError(f"{path.name} could not be fingerprinted (not audio fpcalc can decode).") from error
    if not fingerprint.compressed:
        raise FingerprintError(f"{path.name} is too short to fingerprint.")
    return fingerprint


def decode(compressed: str) -> np.ndarray:
    """A compressed fingerprint as its integers (uint32). Raises FingerprintError for text that is not one.

    Calls libchromaprint's decoder through the prototypes pyacoustid's `chromaprint` module declares, and copies
    the result straight into numpy: its `decode_fingerprint()` builds a Python list first, which made decoding
    a library of 20,000 fingerprints take seconds."""
    try:
        data = compressed.encode("ascii")
    except UnicodeEncodeError as error:
        raise FingerprintError("Not a Chromaprint fingerprint.") from error
    items = ctypes.POINTER(ctypes.c_uint32)()
    size, algorithm = ctypes.c_int(), ctypes.c_int()
    library = chromaprint._libchromaprint
    decoded = library.chromaprint_decode_fingerprint(
        data, len(data), ctypes.byref(items), ctypes.byref(size), ctypes.byref(algorithm), 1
    )
    try:
        if decoded != 1 or size.value <= 0:
            raise FingerprintError("Not a Chromaprint fingerprint.")
        return np.ctypeslib.as_array(items, shape=(size.value,)).copy()
    finally:
        if items:
            library.chromaprint_dealloc(items)


def compare(a: np.ndarray, b: np.ndarray, *, max_offset_seconds: float, min_overlap: float = 0.5) -> Comparison:
    """The bit error rate of two decoded fingerprints at the offset (within ±max_offset_seconds) where they agree
    best, over at least `min_overlap` of the shorter one (a short overlap at the edge would match by chance)."""
    shorter = min(a.size, b.size)
    if shorter == 0:
        return Comparison(bit_error_rate=1.0, offset_seconds=0.0, overlap_items=0)
    max_offset = round(max_offset_seconds / ITEM_SECONDS)
    # b padded by max_offset on both sides; row k of the windows is b shifted by k - max_offset against a.
    padded = np.zeros(a.size + 2 * max_offset, dtype=np.uint32)
    valid = np.zeros(padded.size, dtype=bool)
    length = min(b.size, padded.size - max_offset)
    padded[max_offset : max_offset + length] = b[:length]
    valid[max_offset : max_offset + length] = True
    windows = np.lib.stride_tricks.sliding_window_view(padded, a.size)
    masks = np.lib.stride_tricks.sliding_window_view(valid, a.size)
    shifts = np.arange(2 * max_offset + 1)
    overlaps = np.clip(np.minimum(a.size, max_offset + length - shifts) - np.maximum(0, max_offset - shifts), 0, None)
    enough = overlaps >= max(1, min_overlap * shorter)

    def rates(rows: np.ndarray, step: int) -> np.ndarray:
        mask = masks[rows, ::step]
        errors = (np.bitwise_count(windows[rows, ::step] ^ a[::step]) * mask).sum(axis=1)
        return np.where(enough[rows], errors / (32 * np.maximum(mask.sum(axis=1), 1)), 1.0)

    rows = shifts
    if a.size >= COARSE_MIN_ITEMS:
        # Every COARSE_STEP-th integer at every offset finds the few offsets worth counting in full (at the right
        # one the sample's rate is close to the full rate; elsewhere both are far above it).
        rows = np.sort(np.argsort(rates(shifts, COARSE_STEP), kind="stable")[:COARSE_KEEP])
    fine = rates(rows, 1)
    best = int(np.argmin(fine))
    return Comparison(
        bit_error_rate=float(fine[best]),
        offset_seconds=(max_offset - int(rows[best])) * ITEM_SECONDS,
        overlap_items=int(overlaps[rows[best]]),
    )
