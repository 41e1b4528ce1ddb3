"""Normalizing and crossfade previews with ffmpeg: seconds and realtime factor for a 4-minute stereo track
(generated: chords and a click track, 44.1 kHz) as MP3 and FLAC (loudnorm's measuring pass, then the linear or
dynamic pass and the encode), and for one crossfade preview (40 s out)."""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from music import processing

SECONDS = 240


def make_track(folder: Path, name: str, frequency: int) -> Path:
    """Four minutes of a chord with a kick on every beat, at -20 LUFS or so (ffmpeg's lavfi sources)."""
    path = folder / name
    sources = f"sine=f={frequency}:d={SECONDS},volume=0.2[a];sine=f=55:d={SECONDS}:beep_factor=4,volume=0.3[b]"
    command = ["ffmpeg", "-loglevel", "error", "-y", "-filter_complex", f"{sources};[a][b]amix=2,aformat=cl=stereo"]
    subprocess.run([*command, "-ar", "44100", str(path)], check=True)
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        print(f"{'step':<40} {'seconds':>8} {'x realtime':>11}")
        for extension in ("mp3", "flac"):
            source = make_track(folder, f"track.{extension}", 330)
            started = time.perf_counter()
            measured = processing.measure_loudness(source)
            first = time.perf_counter() - started
            started = time.perf_counter()
            kind = processing.normalize(
                source, folder / f"out.{extension}", measured=measured, target_lufs=-14, true_peak=-1
            )
            second = time.perf_counter() - started
            for label, seconds in (("measure", first), (f"normalize ({kind}) + encode", second)):
                print(f"{extension} {label:<36} {seconds:8.2f} {SECONDS / seconds:10.0f}x")
            print(f"{extension} {'both passes':<36} {first + second:8.2f} {SECONDS / (first + second):10.0f}x")
        other = make_track(folder, "other.mp3", 440)
        lead = processing.Segment(folder / "track.mp3", SECONDS - 20, 20)
        tail = processing.Segment(other, 0, 28)
        started = time.perf_counter()
        processing.crossfade(lead, tail, folder / "preview.mp3", seconds=8)
        seconds = time.perf_counter() - started
        print(f"{'crossfade preview (40 s of audio)':<40} {seconds:8.2f} {40 / seconds:10.0f}x")


if __name__ == "__main__":
    main()
