"""Reading an audio file's tags and stream info with mutagen (ID3, MP4, Vorbis/FLAC, …): the one module that
imports it."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import mutagen
from mutagen.easyid3 import EasyID3
from mutagen.easymp4 import EasyMP4Tags

from music.errors import NotAudio

_YEAR = re.compile(r"\b(\d{4})\b")
_FORMATS = {
    "audio/mp3": "mp3",
    "audio/flac": "flac",
    "audio/mp4": "m4a",
    "audio/vorbis": "ogg",
    "audio/opus": "opus",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/aiff": "aiff",
}

# The musical key (DJ software writes it as ID3 TKEY, an MP4 iTunes atom, a Vorbis comment INITIALKEY).
EasyID3.RegisterTextKey("initialkey", "TKEY")
EasyMP4Tags.RegisterFreeformKey("initialkey", "initialkey")


@dataclass(frozen=True)
class AudioTags:
    file_format: str
    duration_ms: int | None
    title: str = ""
    artist: str = ""
    album: str = ""
    genre: str = ""
    year: int | None = None
    bpm: Decimal | None = None
    key: str = ""


def read_tags(path: Path, *, name: str = "") -> AudioTags:
    """The file's tags. Raises NotAudio for a file that is not audio mutagen can read (empty, corrupted, another
    kind of file), naming it `name` (default: the file's own name)."""
    name = name or path.name
    try:
        audio = mutagen.File(path, easy=True)
    except Exception as error:  # mutagen raises its own error classes, and ValueError/struct errors on bad data
        raise NotAudio(f"{name} is not an audio file that can be read.") from error
    if audio is None or audio.info is None:
        raise NotAudio(f"{name} is not an audio file that can be read.")
    length = getattr(audio.info, "length", None)
    return AudioTags(
        file_format=_format_of(audio, path),
        duration_ms=round(length * 1000) if length else None,
        title=_first(audio, "title")[:200],
        artist=_first(audio, "artist")[:200],
        album=_first(audio, "album")[:200],
        genre=_first(audio, "genre")[:100],
        year=_year(_first(audio, "date") or _first(audio, "originaldate")),
        bpm=_bpm(_first(audio, "bpm")),
        key=_first(audio, "initialkey")[:16],
    )


def _first(audio, name: str) -> str:
    try:
        values = audio.get(name) or []
    except (KeyError, ValueError):  # easy tags that a format does not map
        return ""
    return str(values[0]).strip() if values else ""


def _format_of(audio, path: Path) -> str:
    for mime in getattr(audio, "mime", None) or []:
        if mime in _FORMATS:
            return _FORMATS[mime]
    return path.suffix.lower().lstrip(".")[:8]


def _year(value: str) -> int | None:
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def _bpm(value: str) -> Decimal | None:
    try:
        bpm = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return bpm if 0 < bpm < 1000 else None
