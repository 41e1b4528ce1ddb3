"""Background work of the music app (django-q2). Tasks take ids, and are safe to run twice."""

import uuid

from music.enrichment import track_enrich
from music.models import Track
from music.services import track_analyze
from music.tag_services import track_write_tags


def analyze_track(track_id: str) -> str | None:
    """Analyse one track after it was added (the service leaves a track the current version analysed alone)."""
    track = track_analyze(uuid.UUID(track_id))
    return None if track is None else track.analysis_status


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
