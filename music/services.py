"""Use cases of the DJ's library."""

import contextlib
import hashlib
import logging
import tempfile
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import FileField
from django.utils import timezone
from django_q.tasks import async_task

from music.analysis import ANALYSIS_VERSION, AnalysisError, analyze_file
from music.covers import CoverError, cover_from_bytes, track_cover_files_delete, track_cover_set
from music.errors import MusicError
from music.models import AnalysisStatus, Track, TrackSource
from music.tags import AudioTags, read_tags

logger = logging.getLogger(__name__)

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
    digest = file_sha256(path)
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
        comment=tags.comment,
        bitrate_kbps=tags.bitrate_kbps,
        sample_rate_hz=tags.sample_rate_hz,
        source=source,
        file_format=tags.file_format,
        file_size=path.stat().st_size,
        file_sha256=digest,
    )
    with path.open("rb") as audio:
        track.audio.save(f"{uuid.uuid4().hex}.{tags.file_format or 'audio'}", File(audio), save=False)
    _take_embedded_cover(track, tags, name)
    try:
        with transaction.atomic():
            track.save()
    except IntegrityError:  # the same file, imported at the same moment by another process
        track.audio.delete(save=False)
        track_cover_files_delete(track)
        return Track.objects.get(file_sha256=digest), False
    except BaseException:
        track.audio.delete(save=False)
        track_cover_files_delete(track)
        raise
    transaction.on_commit(lambda: async_task("music.tasks.analyze_track", str(track.pk)))
    transaction.on_commit(lambda: async_task("music.tasks.fingerprint_track", str(track.pk)))
    if settings.MUSIC_ENRICHMENT_ENABLED:  # missing tags and cover proposed to the DJ
        transaction.on_commit(lambda: async_task("music.tasks.enrich_track", str(track.pk)))
    return track, True


def _take_embedded_cover(track: Track, tags: AudioTags, name: str) -> None:
    """The file's embedded cover becomes the track's, with thumbnails; a damaged or unusable image is skipped (the
    audio is what matters), with a log line."""
    if tags.cover is None:
        return
    try:
        cover = cover_from_bytes(tags.cover.data)
    except CoverError as error:
        logger.warning("embedded cover skipped", extra={"file": name, "reason": error.message})
        return
    track_cover_set(track=track, cover=cover)


def track_analyze(track_id: uuid.UUID) -> Track | None:
    """Measure a track's tempo, beats, first downbeat, mix points, key, energy and loudness and store them (a q2
    task after ingest). Idempotent: a track analysed by the current version is left alone. A file that cannot be
    analysed marks the track failed, with the reason; None when the track is gone."""
    track = Track.objects.filter(pk=track_id).first()
    if track is None or (track.analysis_status == AnalysisStatus.DONE and track.analysis_version == ANALYSIS_VERSION):
        return track
    try:
        with track_local_file(track) as path:
            result = analyze_file(path)
    except AnalysisError as error:
        track.analysis_status, track.analysis_error = AnalysisStatus.FAILED, error.message[:300]
    else:
        track.bpm = None if result.bpm is None else Decimal(str(result.bpm))
        track.key, track.camelot = result.key or "", result.camelot or ""
        track.energy = result.energy
        track.loudness_lufs = None if result.loudness_lufs is None else Decimal(str(result.loudness_lufs))
        track.true_peak_db = None if result.true_peak_db is None else Decimal(str(result.true_peak_db))
        track.duration_ms = round(result.duration * 1000)
        # A grid may start a fraction of a beat before the file does (the music starts at once): stored from 0.
        track.beats_ms = [beat for beat in result.beats_ms if beat >= 0]
        track.first_downbeat_ms, track.mix_in_ms, track.mix_out_ms = (
            None if seconds is None else max(round(seconds * 1000), 0)
            for seconds in (result.first_downbeat, result.mix_in, result.mix_out)
        )
        track.analysis_status, track.analysis_error = AnalysisStatus.DONE, ""
    track.analysis_version, track.analyzed_at = ANALYSIS_VERSION, timezone.now()
    track.save()
    return track


@contextlib.contextmanager
def track_local_file(track: Track):
    """A path to the track's audio: the file itself on local storage, a temporary copy from remote storage."""
    if not track.audio:
        raise AnalysisError(f"“{track}” has no audio file.")
    try:
        local = Path(track.audio.path)
    except NotImplementedError:  # storage without local paths (S3)
        local = None
    if local is not None:
        yield local
        return
    with track_audio_copy(track) as copy:
        yield copy


@contextlib.contextmanager
def track_audio_copy(track: Track) -> Iterator[Path]:
    """A temporary copy of the track's audio (from any storage, local or S3), removed afterwards: to change it
    without touching the stored file."""
    if not track.audio:
        raise MusicError(f"“{track}” has no audio file.", code="no_file")
    with tempfile.NamedTemporaryFile(suffix=Path(track.audio.name).suffix) as copy:
        try:
            with track.audio.open("rb") as audio:
                for chunk in audio.chunks():
                    copy.write(chunk)
        except FileNotFoundError as error:
            raise MusicError(f"The audio file of “{track}” is missing from storage.", code="no_file") from error
        copy.flush()
        yield Path(copy.name)


def track_upload(upload: UploadedFile) -> tuple[Track, bool]:
    """A file uploaded by staff (API, admin) into the library, as track_import_file() takes one from disk."""
    _check_size(upload.name, upload.size)
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()[:8]) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        return track_import_file(Path(copy.name), name=upload.name, source=TrackSource.UPLOAD)


def track_delete(track: Track) -> None:
    """Remove a track and its files: the audio and what was made from it (the normalized copy, cover art and its
    thumbnails, covers proposed by enrichment). Requests keep their title and artist; their link to the track is
    cleared."""
    files = [getattr(track, field.name) for field in Track._meta.get_fields() if isinstance(field, FileField)]
    files += [suggestion.cover for suggestion in track.suggestions.exclude(cover="")]
    track.delete()
    for file in files:
        if file:
            transaction.on_commit(lambda file=file: file.storage.delete(file.name))


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


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read a megabyte at a time (how the library tells a file it holds already)."""
    digest = hashlib.sha256()
    with path.open("rb") as audio:
        for chunk in iter(lambda: audio.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
