"""Writing the library's catalogue back into the audio files, so other DJ software sees the DJ's corrections."""

import uuid
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from djbiz.errors import ConflictError
from music.covers import embeddable_cover
from music.errors import MusicError
from music.models import Track
from music.services import file_sha256, track_audio_copy
from music.tags import write_tags

CATALOGUE_FIELDS = ("title", "artist", "album", "genre", "year", "comment")
ANALYSIS_FIELDS = ("bpm", "key")


def track_write_tags(*, track: Track, include_analysis: bool = False) -> Track:
    """Write the track's title, artist, album, genre, year and comment (an empty one removes the tag) and its cover
    art, if it has one, into its audio file; with `include_analysis`, the analysed BPM and key too (otherwise the
    file's own BPM and key tags are left as they are). The file is changed on a copy and stored under a new name,
    the track's checksum and size follow, and the old file is deleted after commit. Idempotent: when the tags are
    already there the track is left unchanged. Raises MusicError for a format without tags, ConflictError when the
    file was replaced meanwhile."""
    fields = CATALOGUE_FIELDS + (ANALYSIS_FIELDS if include_analysis else ())
    values = {field: getattr(track, field) for field in fields}
    cover = embeddable_cover(track)
    old_name = track.audio.name
    with track_audio_copy(track) as path:
        write_tags(path, values, cover=cover)
        digest, size = file_sha256(path), path.stat().st_size
        if digest == track.file_sha256:
            return track
        with path.open("rb") as written:
            track.audio.save(f"{uuid.uuid4().hex}{Path(old_name).suffix}", File(written), save=False)
    storage, new_name = track.audio.storage, track.audio.name
    try:
        with transaction.atomic():
            current = Track.objects.select_for_update().filter(pk=track.pk).values_list("audio", flat=True).first()
            if current != old_name:
                raise ConflictError(f"The audio file of “{track}” changed meanwhile; write the tags again.")
            Track.objects.filter(pk=track.pk).update(
                audio=new_name, file_sha256=digest, file_size=size, updated_at=timezone.now()
            )
    except IntegrityError as error:
        storage.delete(new_name)
        track.audio.name = old_name
        raise MusicError(f"With these tags, “{track}” would be a copy of another track's file.") from error
    except BaseException:
        storage.delete(new_name)
        track.audio.name = old_name
        raise
    transaction.on_commit(lambda: storage.delete(old_name))
    track.file_sha256, track.file_size = digest, size
    return track
