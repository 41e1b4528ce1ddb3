"""Background work of the music app (django-q2). Tasks take ids, and are safe to run twice."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings

from djbiz.schedules import ScheduleSpec
from music.downloads import download_item_run, download_job_read
from music.duplicates import track_fingerprint
from music.enrichment import track_enrich
from music.errors import MusicError
from music.fingerprint import FingerprintError
from music.models import Track
from music.processing_services import crossfade_preview, crossfade_previews_expire, track_normalize
from music.services import track_analyze
from music.tag_services import track_write_tags

logger = logging.getLogger(__name__)

SCHEDULES = [
    ScheduleSpec(name="djbiz:music.expire_previews", func="music.tasks.expire_crossfade_previews", schedule_type="D"),
]


def analyze_track(track_id: str) -> str | None:
    """Analyse one track after it was added (the service leaves a track the current version analysed alone)."""
    track = track_analyze(uuid.UUID(track_id))
    return None if track is None else track.analysis_status


def fingerprint_track(track_id: str) -> bool:
    """Fingerprint one track after it was added, for finding duplicates (a track with a fingerprint is left
    alone). True when the track has a fingerprint; a file fpcalc cannot read is logged, and
    `manage.py find_duplicates` tries again."""
    try:
        track = track_fingerprint(uuid.UUID(track_id))
    except FingerprintError as error:
        logger.warning("Track %s not fingerprinted: %s", track_id, error.message)
        return False
    return track is not None and bool(track.fingerprint)


def normalize_track(track_id: str) -> str | None:
    """Make one track's normalized copy at the configured target (kept when it exists already). The result (the
    copy's name, or why it could not be made) is kept in q2's task list."""
    try:
        track = track_normalize(track_id=uuid.UUID(track_id))
    except MusicError as error:
        return f"failed: {error.message}"
    return None if track is None else track.normalized_audio.name


def make_crossfade_preview(first_id: str, second_id: str, seconds: float) -> str | None:
    """Make the crossfade preview of one track into another (found, not made again, when it exists)."""
    tracks = Track.objects.in_bulk([uuid.UUID(first_id), uuid.UUID(second_id)])
    first, second = tracks.get(uuid.UUID(first_id)), tracks.get(uuid.UUID(second_id))
    if first is None or second is None:
        return None
    try:
        return crossfade_preview(first=first, second=second, seconds=seconds)
    except MusicError as error:
        return f"failed: {error.message}"


def expire_crossfade_previews() -> int:
    """Daily: delete crossfade previews older than MUSIC_PREVIEW_DAYS."""
    return crossfade_previews_expire(older_than=timedelta(days=settings.MUSIC_PREVIEW_DAYS))


def write_track_tags(track_id: str, include_analysis: bool = False) -> str | None:
    """Write a track's catalogue fields (and, on request, its analysed BPM and key) into its file; running it again
    finds the tags there and changes nothing."""
    track = Track.objects.filter(pk=uuid.UUID(track_id)).first()
    if track is None:
        return None
    return track_write_tags(track=track, include_analysis=include_analysis).file_sha256


def enrich_track(track_id: str) -> str | None:
    """Look a track up on MusicBrainz and store a suggestion for the DJ (one waiting is returned as it is)."""
    suggestion = track_enrich(uuid.UUID(track_id))
    return None if suggestion is None else suggestion.status


def read_download_job(job_id: str) -> str | None:
    """Read a download job's link into items, each queued as download_item (a job read already is left alone)."""
    job = download_job_read(uuid.UUID(job_id))
    return None if job is None else job.status


def download_item(item_id: str) -> str | None:
    """Download one item into the library (an item done already, or whose link the library has, is not fetched)."""
    item = download_item_run(uuid.UUID(item_id))
    return None if item is None else item.status
