"""Use cases of the DJ's library."""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction

from music.errors import MusicError
from music.models import Track, TrackSource
from music.tags import read_tags

AUDIO_EXTENSIONS = frozenset(
    {".mp3", ".flac", ".m4a", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".wav", ".aif", ".aiff"}
)


def track_import_file(path: Path, *, source: str = TrackSource.IMPORT) -> tuple[Track, bool]:
    """Add an audio file to the library: (the new track, True), or (the track that has this very file already,
    False). The file is copied into the library's storage and described from its tags; a file without a title
    tag is named after the file. Raises MusicError (NotAudio) for an empty, oversized, corrupted or non-audio
    file, and stores nothing then."""
    size = path.stat().st_size
    if size == 0:
        raise MusicError(f"{path.name} is empty.", code="empty")
    if size > settings.MUSIC_MAX_FILE_BYTES:
        limit = settings.MUSIC_MAX_FILE_BYTES // (1024 * 1024)
        raise MusicError(f"{path.name} is larger than {limit} MB.", code="too_large")
    digest = _sha256(path)
    existing = Track.objects.filter(file_sha256=digest).first()
    if existing is not None:
        return existing, False
    tags = read_tags(path)
    track = Track(
        title=tags.title or path.stem.replace("_", " ").strip()[:200],
        artist=tags.artist,
        album=tags.album,
        genre=tags.genre,
        year=tags.year,
        duration_ms=tags.duration_ms,
        bpm=tags.bpm,
        key=tags.key,
        source=source,
        file_format=tags.file_format,
        file_size=size,
        file_sha256=digest,
    )
    with path.open("rb") as audio:
        track.audio.save(f"{uuid.uuid4().hex}.{tags.file_format or 'audio'}", File(audio), save=False)
    try:
        with transaction.atomic():
            track.save()
    except IntegrityError:  # the same file, imported at the same moment by another process
        track.audio.delete(save=False)
        return Track.objects.get(file_sha256=digest), False
    except BaseException:
        track.audio.delete(save=False)
        raise
    return track, True


def audio_files_under(directory: Path) -> list[Path]:
    """The audio files in a folder and its subfolders, by extension, in a stable order (other files, such as
    cover images and playlists, are not the library's)."""
    return sorted(path for path in directory.rglob("*") if path.is_file() and path.suffix.lower() in AUDIO_EXTENSIONS)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as audio:
        for chunk in iter(lambda: audio.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
