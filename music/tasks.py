"""Background work of the music app (django-q2). Tasks take ids, and are safe to run twice."""

import logging
import uuid

from music.duplicates import track_fingerprint
from music.fingerprint import FingerprintError
from music.services import track_analyze

logger = logging.getLogger(__name__)


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
