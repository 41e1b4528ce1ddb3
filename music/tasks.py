"""Background work of the music app (django-q2). Tasks take ids, and are safe to run twice."""

import uuid

from music.downloads import download_item_run, download_job_read
from music.services import track_analyze


def analyze_track(track_id: str) -> str | None:
    """Analyse one track after it was added (the service leaves a track the current version analysed alone)."""
    track = track_analyze(uuid.UUID(track_id))
    return None if track is None else track.analysis_status


def read_download_job(job_id: str) -> str | None:
    """Read a download job's link into items, each queued as download_item (a job read already is left alone)."""
    job = download_job_read(uuid.UUID(job_id))
    return None if job is None else job.status


def download_item(item_id: str) -> str | None:
    """Download one item into the library (an item done already, or whose link the library has, is not fetched)."""
    item = download_item_run(uuid.UUID(item_id))
    return None if item is None else item.status
