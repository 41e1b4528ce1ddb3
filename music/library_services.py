"""What the library page's bulk actions do to the tracks a DJ selected. The heavy work (analysis, normalizing,
crossfade previews) goes to q2 tasks once the request's transaction commits; these functions only choose the
work and say how much there is."""

import uuid
from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db import transaction
from django_q.tasks import async_task

from music.models import AnalysisStatus, Track
from music.processing_services import crossfade_preview_name, crossfade_seconds
from music.services import track_delete


def tracks_analyze_again(*, track_ids: Iterable[uuid.UUID]) -> int:
    """Analyse the tracks again (a DJ's corrections of BPM or key are replaced by what analysis finds)."""
    ids = list(Track.objects.filter(pk__in=list(track_ids)).values_list("pk", flat=True))
    Track.objects.filter(pk__in=ids).update(analysis_status=AnalysisStatus.PENDING, analysis_error="")
    _later("music.tasks.analyze_track", ids)
    return len(ids)


def tracks_normalize_later(*, track_ids: Iterable[uuid.UUID]) -> int:
    """Make the tracks' normalized copies (and ReplayGain gains) at the configured target."""
    ids = list(Track.objects.filter(pk__in=list(track_ids)).exclude(audio="").values_list("pk", flat=True))
    _later("music.tasks.normalize_track", ids)
    return len(ids)


def tracks_write_tags_later(*, track_ids: Iterable[uuid.UUID], include_analysis: bool = False) -> int:
    """Write the tracks' catalogue fields into their files (the analysed BPM and key only when asked)."""
    ids = list(Track.objects.filter(pk__in=list(track_ids)).exclude(audio="").values_list("pk", flat=True))
    transaction.on_commit(
        lambda: [
            async_task("music.tasks.write_track_tags", str(track_id), include_analysis=include_analysis)
            for track_id in ids
        ]
    )
    return len(ids)


def tracks_delete(*, track_ids: Iterable[uuid.UUID]) -> int:
    """Delete the tracks and their files."""
    tracks = list(Track.objects.filter(pk__in=list(track_ids)))
    with transaction.atomic():
        for track in tracks:
            track_delete(track)
    return len(tracks)


def crossfade_preview_later(*, first: Track, second: Track, seconds: float | str | None) -> float:
    """Ask for the preview of `first` fading into `second`; a q2 task makes it unless it is made already. Returns
    the overlap in seconds (default: the setting). Raises MusicError for an overlap out of range."""
    seconds = crossfade_seconds(seconds)
    if not default_storage.exists(crossfade_preview_name(first=first, second=second, seconds=seconds)):
        transaction.on_commit(
            lambda: async_task("music.tasks.make_crossfade_preview", str(first.pk), str(second.pk), seconds)
        )
    return seconds


def _later(task: str, ids: list[uuid.UUID]) -> None:
    transaction.on_commit(lambda: [async_task(task, str(track_id)) for track_id in ids])
