"""Background work of the music app (django-q2). Tasks take ids, and are safe to run twice."""

import uuid

from music.services import track_analyze


def analyze_track(track_id: str) -> str | None:
    """Analyse one track after it was added (the service leaves a track the current version analysed alone)."""
    track = track_analyze(uuid.UUID(track_id))
    return None if track is None else track.analysis_status
