"""Use cases of the DJ's library."""

import hashlib
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from music.errors import MusicError
from music.models import Track, TrackSource
from music.tags import read_tags

AUDIO_EXTENSIONS = frozenset(
    {".mp3", ".flac", ".m4a", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".wav", ".aif", ".aiff"}
)


def track_import_file(path: Path, *, name: str = "", source: str = TrackSource.IMPORT) -> tuple[Track, bool]:
    """Add an audio file to the library: (the new track, True), or (the track that has this very file already,
    False). The file is copied into the library's storage and described from its tags; a file without a title
    tag is named after the file (`name`, default: its own name). Raises MusicError (NotAudio) for an empty,
    oversized, corrupted or non-audio file, and stores nothing then."""
    name = name or path.name
    _check_size(name, path.stat().st_size)
    digest = _sha256(path)
    existing = Track.objects.filter(file_sha256=digest).first()
    if existing is not None:
        return existing, False
    tags = read_tags(path, name=name)
    track = Track(
        title=tags.title or Path(name).stem.replace("_", " ").strip()[:200],
        artist=tags.artist,
        album=tags.album,
        genre=tags.genre,
        year=tags.year,
        duration_ms=tags.duration_ms,
        bpm=tags.bpm,
        key=tags.key,
        source=source,
        file_format=tags.file_format,
        file_size=path.stat().st_size,
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


def track_upload(upload: UploadedFile) -> tuple[Track, bool]:
    """A file uploaded by staff (API, admin) into the library, as track_import_file() takes one from disk."""
    _check_size(upload.name, upload.size)
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()[:8]) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        return track_import_file(Path(copy.name), name=upload.name, source=TrackSource.UPLOAD)


def track_delete(track: Track) -> None:
    """Remove a track and its file (requests keep their title and artist; their link to the track is cleared)."""
    track.delete()
    if track.audio:
        transaction.on_commit(lambda: track.audio.storage.delete(track.audio.name))


def _check_size(name: str, size: int) -> None:
    if size == 0:
        raise MusicError(f"{name} is empty.", code="empty")
    if size > settings.MUSIC_MAX_FILE_BYTES:
        limit = settings.MUSIC_MAX_FILE_BYTES // (1024 * 1024)
        raise MusicError(f"{name} is larger than {limit} MB.", code="too_large")


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
