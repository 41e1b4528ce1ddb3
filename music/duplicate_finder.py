"""Which fingerprints are copies of one recording, among a DJ's whole library, without comparing every pair.

Candidates come from an inverted index: each fingerprint's distinct integers (their top 28 bits, a quarter of
the values) are keys, and two tracks become a candidate pair when they share at least MIN_SHARED_KEYS keys
and their durations differ by no more than a small trim. Each candidate pair is then compared properly (bit error
rate at the best offset, music.fingerprint.compare). Copies of one recording agree on most bits at some offset;
different recordings (a live take, a cover, a remix) disagree on roughly half. Tags are supporting evidence: when
the folded title and artist agree, a noisier match (a low-bitrate copy) is still accepted. Pairs join into groups
(union-find), so a 128 kbps copy that matches the FLAC joins the FLAC's group even if it is far from a trimmed copy.

Pure computation (numpy), no database: music.duplicates feeds it tracks, benchmarks/duplicates.py synthetic
fingerprints."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from music.fingerprint import compare

MAX_TRIM_SECONDS = 15.0  # copies' durations and start offsets differ by at most this much
# Bit error rates at the best offset: copies (other codecs and bitrates, trims off the ~0.124 s grid) measure
# 0.00–0.05 in the tests, different recordings 0.25–0.5 (0.25 for two of the tests' chord-and-click recordings).
SAME_RECORDING_BER = 0.12  # under this, two fingerprints are one recording
SAME_NAME_BER = 0.18  # the same, when the folded title and artist agree too
KEY_SHIFT = 4  # index keys: a fingerprint integer's top 28 bits...
KEY_SAMPLE = 4  # ...when divisible by 4: a quarter of the values, chosen by value so that copies choose alike
MIN_SHARED_KEYS = 3
COMMON_KEY_TRACKS = 64  # a key in more fingerprints than this (silence, a steady tone) tells nothing apart
MIN_ITEMS = 40  # ~5 s of audio: shorter fingerprints are not matched


@dataclass(frozen=True)
class Candidate:
    key: Hashable  # the caller's identifier (a track id)
    duration: float  # seconds
    fingerprint: np.ndarray  # decoded (uint32)
    name: str = ""  # folded "title / artist"; empty when unknown


def find_groups(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Groups of two or more candidates that are copies of one recording, each in the input order; groups in the
    order of their first member."""
    usable = [candidate for candidate in candidates if candidate.fingerprint.size >= MIN_ITEMS]
    parent = list(range(len(usable)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for first, second in _candidate_pairs(usable):
        if root(first) != root(second) and same_recording(usable[first], usable[second]):
            parent[root(first)] = root(second)
    groups: dict[int, list[Candidate]] = {}
    for index, candidate in enumerate(usable):
        groups.setdefault(root(index), []).append(candidate)
    return [group for group in groups.values() if len(group) > 1]


def same_recording(a: Candidate, b: Candidate) -> bool:
    if abs(a.duration - b.duration) > MAX_TRIM_SECONDS:
        return False
    comparison = compare(a.fingerprint, b.fingerprint, max_offset_seconds=MAX_TRIM_SECONDS)
    limit = SAME_NAME_BER if a.name and a.name == b.name else SAME_RECORDING_BER
    return comparison.bit_error_rate <= limit


def _index_keys(fingerprint: np.ndarray) -> np.ndarray:
    """The fingerprint's index keys: its integers' top bits, one in KEY_SAMPLE of the values (chosen by the value,
    so copies choose alike) to keep the index small."""
    keys = fingerprint >> KEY_SHIFT
    return keys[keys % KEY_SAMPLE == 0]


def _candidate_pairs(candidates: Sequence[Candidate]) -> list[tuple[int, int]]:
    """Index pairs (i < j) sharing at least MIN_SHARED_KEYS index keys with durations within MAX_TRIM_SECONDS,
    most shared keys first."""
    if len(candidates) < 2:
        return []
    # One code per (key, track): the key in the high 32 bits, the track's index in the low; sorted and deduplicated,
    # the codes list each key's tracks together.
    codes = np.concatenate(
        [
            (_index_keys(candidate.fingerprint).astype(np.uint64) << np.uint64(32)) | np.uint64(index)
            for index, candidate in enumerate(candidates)
        ]
    )
    codes.sort()
    codes = codes[np.r_[True, codes[1:] != codes[:-1]]]
    keys, owners = codes >> np.uint64(32), (codes & np.uint64(0xFFFFFFFF)).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, keys.size])
    codes = []
    count = len(candidates)
    for size in np.unique(sizes[(sizes > 1) & (sizes <= COMMON_KEY_TRACKS)]):
        members = owners[starts[sizes == size][:, None] + np.arange(size)]  # one row per key, owners ascending
        first, second = np.triu_indices(size, k=1)
        codes.append((members[:, first] * count + members[:, second]).ravel())
    if not codes:
        return []
    pairs, shared = np.unique(np.concatenate(codes), return_counts=True)
    pairs, shared = pairs[shared >= MIN_SHARED_KEYS], shared[shared >= MIN_SHARED_KEYS]
    first, second = pairs // count, pairs % count
    durations = np.array([candidate.duration for candidate in candidates])
    close = np.abs(durations[first] - durations[second]) <= MAX_TRIM_SECONDS
    strongest = np.argsort(-shared[close], kind="stable")
    return list(zip(first[close][strongest].tolist(), second[close][strongest].tolist(), strict=True))
