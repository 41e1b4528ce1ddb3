"""Reading and writing an audio file's tags, stream info and embedded cover art with mutagen: the one module that
imports it. Three tag families cover the library's formats: ID3 (MP3, WAV, AIFF), MP4 atoms (m4a) and Vorbis
comments (FLAC, Ogg Vorbis, Opus). The musical key is stored where DJ software looks for it: ID3 TKEY, the MP4
iTunes atom `initialkey`, the Vorbis comment INITIALKEY."""

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import mutagen
from mutagen.aiff import AIFF
from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, COMM, ID3, ID3FileType, PictureType
from mutagen.id3 import Frames as ID3_FRAMES
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm, MP4Tags
from mutagen.ogg import OggFileType
from mutagen.oggopus import OggOpus
from mutagen.wave import WAVE

from music.errors import MusicError, NotAudio

_YEAR = re.compile(r"\b(\d{4})\b")
# A key as ID3's TKEY writes it ("Am", "C#", "Bbm": at most three characters) or spelt out ("A minor").
_KEY = re.compile(r"^([A-G])\s*([#b♯♭]?)\s*(m|min|minor|maj|major)?$", re.IGNORECASE)
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
# The catalogue fields a file's tags hold, in the order they are written.
TAG_FIELDS = ("title", "artist", "album", "genre", "year", "comment", "bpm", "key")
_LIMITS = {"title": 200, "artist": 200, "album": 200, "genre": 100, "comment": 500, "key": 16}

_ID3 = {"title": "TIT2", "artist": "TPE1", "album": "TALB", "genre": "TCON", "year": "TDRC", "bpm": "TBPM"}
_ID3 |= {"key": "TKEY"}
_MP4_KEY = "----:com.apple.iTunes:initialkey"
_MP4 = {"title": "\xa9nam", "artist": "\xa9ART", "album": "\xa9alb", "genre": "\xa9gen", "year": "\xa9day"}
_MP4 |= {"comment": "\xa9cmt", "bpm": "tmpo", "key": _MP4_KEY}
_VORBIS = {"title": "TITLE", "artist": "ARTIST", "album": "ALBUM", "genre": "GENRE", "year": "DATE"}
_VORBIS |= {"comment": "COMMENT", "bpm": "BPM", "key": "INITIALKEY"}


@dataclass(frozen=True)
class EmbeddedImage:
    """A picture inside an audio file (the front cover when there is one), as its bytes and declared type."""

    data: bytes
    mime: str = ""
    width: int = 0
    height: int = 0


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
    comment: str = ""
    bitrate_kbps: int | None = None
    sample_rate_hz: int | None = None
    cover: EmbeddedImage | None = None


def read_tags(path: Path, *, name: str = "") -> AudioTags:
    """The file's tags, stream info and cover. Raises NotAudio for a file that is not audio mutagen can read
    (empty, corrupted, another kind of file), naming it `name` (default: the file's own name)."""
    name = name or path.name
    audio = _open(path, name)
    length = getattr(audio.info, "length", None)
    family = _family(audio)
    text = family.read_text(audio.tags) if family and audio.tags is not None else {}
    return AudioTags(
        file_format=_format_of(audio, path),
        duration_ms=round(length * 1000) if length else None,
        title=text.get("title", "")[:200],
        artist=text.get("artist", "")[:200],
        album=text.get("album", "")[:200],
        genre=text.get("genre", "")[:100],
        year=_year(text.get("year", "")),
        bpm=_bpm(text.get("bpm", "")),
        key=_key_name(text.get("key", ""))[:16],
        comment=text.get("comment", "")[:500],
        bitrate_kbps=_bitrate_kbps(audio, path),
        sample_rate_hz=getattr(audio.info, "sample_rate", None) or (48000 if isinstance(audio, OggOpus) else None),
        cover=family.read_cover(audio) if family else None,
    )


def write_tags(path: Path, values: Mapping[str, object], *, cover: EmbeddedImage | None = None) -> None:
    """Set the tags named in `values` (keys from TAG_FIELDS; an empty value removes the tag; tags not named are left
    as they are) and, given `cover`, make it the file's front cover. Raises MusicError for a format whose tags
    cannot be written (or a file that is not audio)."""
    unknown = set(values) - set(TAG_FIELDS)
    if unknown:
        raise ValueError(f"Not tag fields: {sorted(unknown)}")
    audio = _open(path, path.name)
    family = _family(audio)
    if family is None:
        raise MusicError(f"Tags cannot be written to {path.name} (a {type(audio).__name__} file).", code="no_tags")
    if audio.tags is None:
        audio.add_tags()
    for field, value in values.items():
        text = _text_of(field, value)
        if text:
            family.write_text(audio.tags, field, text)
        else:
            family.remove(audio.tags, field)
    if cover is not None:
        family.write_cover(audio, cover)
    family.save(audio)


def _open(path: Path, name: str):
    try:
        audio = mutagen.File(path)
    except Exception as error:  # mutagen raises its own error classes, and ValueError/struct errors on bad data
        raise NotAudio(f"{name} is not an audio file that can be read.") from error
    if audio is None or audio.info is None:
        raise NotAudio(f"{name} is not an audio file that can be read.")
    return audio


def _text_of(field: str, value: object) -> str:
    if value is None:
        return ""
    if field == "bpm":  # 128 rather than 128.00; 127.5 stays
        bpm = Decimal(str(value)).quantize(Decimal("0.01"))
        return format(bpm.normalize(), "f") if bpm else ""
    if field == "key":
        return _key_tag(str(value).strip())
    return str(value).strip()[: _LIMITS.get(field, 200)]


class _Id3Tags:
    """ID3v2 frames (MP3, and the ID3 chunk of WAV and AIFF files), saved as ID3v2.3 for older players."""

    @staticmethod
    def read_text(tags: ID3) -> dict[str, str]:
        found = {field: str(tags[frame].text[0]) for field, frame in _ID3.items() if tags.get(frame)}
        if tags.get("TCON") and tags["TCON"].genres:  # "(13)" and "Pop" alike
            found["genre"] = tags["TCON"].genres[0]
        comments = [frame for frame in tags.getall("COMM") if not frame.desc.startswith("iTun") and frame.text]
        if comments:
            blank = [frame for frame in comments if frame.desc == ""]
            found["comment"] = str((blank or comments)[0].text[0])
        return {field: value.strip() for field, value in found.items()}

    @staticmethod
    def write_text(tags: ID3, field: str, text: str) -> None:
        if field == "comment":
            _Id3Tags.remove(tags, field)
            tags.add(COMM(encoding=3, lang="eng", desc="", text=[text]))
        else:
            tags.setall(_ID3[field], [ID3_FRAMES[_ID3[field]](encoding=3, text=[text])])

    @staticmethod
    def remove(tags: ID3, field: str) -> None:
        if field == "comment":
            for frame_key in [key for key, frame in tags.items() if key.startswith("COMM:") and frame.desc == ""]:
                del tags[frame_key]
        else:
            tags.delall(_ID3[field])

    @staticmethod
    def read_cover(audio) -> EmbeddedImage | None:
        pictures = audio.tags.getall("APIC") if audio.tags is not None else []
        pictures.sort(key=lambda picture: picture.type != PictureType.COVER_FRONT)
        return EmbeddedImage(pictures[0].data, pictures[0].mime) if pictures else None

    @staticmethod
    def write_cover(audio, cover: EmbeddedImage) -> None:
        for frame_key in [key for key, frame in audio.tags.items() if key.startswith("APIC")]:
            if audio.tags[frame_key].type == PictureType.COVER_FRONT:
                del audio.tags[frame_key]
        audio.tags.add(APIC(encoding=3, mime=cover.mime, type=PictureType.COVER_FRONT, desc="Cover", data=cover.data))

    @staticmethod
    def save(audio) -> None:
        audio.save(v2_version=3)


class _Mp4Tags:
    """iTunes-style MP4 atoms. `tmpo` holds a whole number, so a BPM is rounded there."""

    @staticmethod
    def read_text(tags: MP4Tags) -> dict[str, str]:
        found = {}
        for field, atom in _MP4.items():
            values = tags.get(atom)
            if values:
                value = values[0]
                found[field] = (value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)).strip()
        return found

    @staticmethod
    def write_text(tags: MP4Tags, field: str, text: str) -> None:
        if field == "bpm":
            tags["tmpo"] = [round(Decimal(text))]
        elif field == "key":
            tags[_MP4_KEY] = [MP4FreeForm(text.encode())]
        else:
            tags[_MP4[field]] = [text]

    @staticmethod
    def remove(tags: MP4Tags, field: str) -> None:
        tags.pop(_MP4[field], None)

    @staticmethod
    def read_cover(audio) -> EmbeddedImage | None:
        covers = (audio.tags or {}).get("covr") or []
        if not covers:
            return None
        mime = "image/png" if covers[0].imageformat == MP4Cover.FORMAT_PNG else "image/jpeg"
        return EmbeddedImage(bytes(covers[0]), mime)

    @staticmethod
    def write_cover(audio, cover: EmbeddedImage) -> None:
        if cover.mime not in ("image/jpeg", "image/png"):
            raise MusicError("An MP4 cover must be JPEG or PNG.", code="cover_type")
        kind = MP4Cover.FORMAT_PNG if cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        audio.tags["covr"] = [MP4Cover(cover.data, imageformat=kind)]

    @staticmethod
    def save(audio) -> None:
        audio.save()


class _VorbisTags:
    """Vorbis comments (FLAC, Ogg Vorbis, Opus). Pictures are FLAC picture blocks in FLAC files, and base64
    METADATA_BLOCK_PICTURE comments in Ogg files (the legacy COVERART comment is read too)."""

    @staticmethod
    def read_text(tags) -> dict[str, str]:
        found = {field: tags[name][0].strip() for field, name in _VORBIS.items() if tags.get(name)}
        if "comment" not in found and tags.get("DESCRIPTION"):
            found["comment"] = tags["DESCRIPTION"][0].strip()
        return found

    @staticmethod
    def write_text(tags, field: str, text: str) -> None:
        tags[_VORBIS[field]] = [text]

    @staticmethod
    def remove(tags, field: str) -> None:
        if _VORBIS[field] in tags:
            del tags[_VORBIS[field]]

    @staticmethod
    def read_cover(audio) -> EmbeddedImage | None:
        pictures = list(audio.pictures) if isinstance(audio, FLAC) else _ogg_pictures(audio.tags)
        pictures.sort(key=lambda picture: picture.type != PictureType.COVER_FRONT)
        if pictures:
            return EmbeddedImage(pictures[0].data, pictures[0].mime)
        legacy = (audio.tags or {}).get("COVERART") if not isinstance(audio, FLAC) else None
        if legacy:
            try:
                return EmbeddedImage(base64.b64decode(legacy[0]), (audio.tags.get("COVERARTMIME") or [""])[0])
            except (binascii.Error, ValueError):
                return None
        return None

    @staticmethod
    def write_cover(audio, cover: EmbeddedImage) -> None:
        picture = Picture()
        picture.type, picture.mime, picture.desc = PictureType.COVER_FRONT, cover.mime, "Cover"
        picture.data, picture.width, picture.height, picture.depth = cover.data, cover.width, cover.height, 24
        if isinstance(audio, FLAC):
            others = [kept for kept in audio.pictures if kept.type != PictureType.COVER_FRONT]
            audio.clear_pictures()
            for kept in [*others, picture]:
                audio.add_picture(kept)
            return
        others = [kept for kept in _ogg_pictures(audio.tags) if kept.type != PictureType.COVER_FRONT]
        audio.tags["METADATA_BLOCK_PICTURE"] = [base64.b64encode(kept.write()).decode() for kept in [*others, picture]]

    @staticmethod
    def save(audio) -> None:
        audio.save()


def _ogg_pictures(tags) -> list[Picture]:
    pictures = []
    for encoded in (tags or {}).get("METADATA_BLOCK_PICTURE") or []:
        try:
            pictures.append(Picture(base64.b64decode(encoded)))
        except (binascii.Error, ValueError, mutagen.MutagenError):
            continue  # one damaged picture comment does not hide the others
    return pictures


def _family(audio):
    if isinstance(audio, MP4):
        return _Mp4Tags
    if isinstance(audio, FLAC | OggFileType):
        return _VorbisTags
    if isinstance(audio.tags, ID3) or isinstance(audio, ID3FileType | WAVE | AIFF):
        return _Id3Tags
    return None


def _format_of(audio, path: Path) -> str:
    for mime in getattr(audio, "mime", None) or []:
        if mime in _FORMATS:
            return _FORMATS[mime]
    return path.suffix.lower().lstrip(".")[:8]


def _bitrate_kbps(audio, path: Path) -> int | None:
    bitrate = getattr(audio.info, "bitrate", None)
    if not bitrate:  # lossless and Ogg formats may not say: the average over the file
        length = getattr(audio.info, "length", None)
        bitrate = path.stat().st_size * 8 / length if length else None
    return round(bitrate / 1000) if bitrate else None


def _key_parts(value: str) -> tuple[str, str, bool] | None:
    match = _KEY.match(value.strip())
    if not match or (match.group(1).islower()):
        return None
    accidental = {"♯": "#", "♭": "b"}.get(match.group(2), match.group(2))
    return match.group(1), accidental, (match.group(3) or "").lower() in ("m", "min", "minor")


def _key_tag(value: str) -> str:
    """A key as ID3 specifies TKEY ("A minor" → "Am", "E♭ major" → "Eb"), which DJ software reads in every tag
    format; anything else (a Camelot code) as it is."""
    parts = _key_parts(value)
    return f"{parts[0]}{parts[1]}{'m' if parts[2] else ''}" if parts else value


def _key_name(value: str) -> str:
    """A key tag as the library writes keys ("Am" → "A minor"); anything else as it is."""
    parts = _key_parts(value)
    return f"{parts[0]}{parts[1]} {'minor' if parts[2] else 'major'}" if parts else value


def _year(value: str) -> int | None:
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def _bpm(value: str) -> Decimal | None:
    try:
        bpm = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return bpm if 0 < bpm < 1000 else None
