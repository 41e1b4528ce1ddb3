"""One recording in the copies a DJ's library collects (other formats, bitrates, a trimmed start, other tags), and
a different recording under the same title: generated with numpy (tests/music/audio.py) and encoded by ffmpeg."""

import subprocess
from pathlib import Path

from music.duplicates import track_fingerprint
from music.services import track_import_file
from tests.music.audio import chords, clicks, write_wav

SECONDS = 12
TAGS = {"title": "Night Drive", "artist": "Luma", "album": "Afterhours"}


def recording(directory: Path) -> Path:
    """Night Drive: 124 BPM clicks over A minor, F, C, G."""
    progression = [["A", "C", "E"], ["F", "A", "C"], ["C", "E", "G"], ["G", "B", "D"]] * 2
    return write_wav(directory / "night-drive.wav", clicks(124, SECONDS) * 0.5 + chords(progression, 1.5))


def another_recording(directory: Path) -> Path:
    """Another song under the same title (as a cover or a live take would be): 96 BPM over D minor, Bb, F, C."""
    progression = [["D", "F", "A"], ["Bb", "D", "F"], ["F", "A", "C"], ["C", "E", "G"]] * 3
    return write_wav(directory / "other.wav", clicks(96, SECONDS) * 0.5 + chords(progression, 1.0))


def encode(source: Path, target: Path, *options: str, **tags: str) -> Path:
    metadata = [arg for name, value in tags.items() for arg in ("-metadata", f"{name}={value}")]
    command = [
        "ffmpeg",
        "-loglevel",
        "error",
        "-y",
        "-i",
        str(source),
        "-ar",
        "44100",
        *options,
        *metadata,
        str(target),
    ]
    subprocess.run(command, check=True)
    return target


def copies(directory: Path) -> dict[str, Path]:
    """The recording as the library might hold it: name → file."""
    directory.mkdir(parents=True, exist_ok=True)
    master = recording(directory)
    return {
        "flac": encode(master, directory / "night-drive.flac", **TAGS),
        "mp3-128": encode(master, directory / "night-drive-128.mp3", "-b:a", "128k", **TAGS),
        "mp3-320": encode(master, directory / "night-drive-320.mp3", "-b:a", "320k", **TAGS),
        "m4a": encode(master, directory / "night-drive.m4a", "-c:a", "aac", "-b:a", "160k", **TAGS),
        "trimmed": encode(master, directory / "night-drive-edit.mp3", "-ss", "1.6", "-b:a", "192k", **TAGS),
        "retagged": encode(master, directory / "track07.mp3", "-b:a", "192k", title="nightdrive_FINAL", genre="House"),
    }


def library(files: dict[str, Path], *names: str):
    """The named files imported into the library and fingerprinted (as the task after ingest does): name → Track."""
    tracks = {name: track_import_file(files[name])[0] for name in names}
    return {name: track_fingerprint(track.pk) for name, track in tracks.items()}


def copies_and_another(directory: Path) -> dict[str, Path]:
    """copies() and, as "other", a different recording with the same title, artist and album."""
    other = encode(another_recording(directory), directory / "night-drive-live.mp3", "-b:a", "192k", **TAGS)
    return {**copies(directory), "other": other}
