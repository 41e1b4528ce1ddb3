"""The DJ's library page (/library/): search, filter and sort the tracks, play them, and act on the ticked ones
(analyse, normalize, delete, crossfade preview). Audio is served to staff only: from local storage with byte
ranges, from S3 by a signed, expiring URL."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from djbiz.permissions import staff_only
from djbiz.ranges import ranged_file_response
from music import library_services
from music.errors import MusicError
from music.forms import BulkForm, LibraryFilterForm
from music.models import Track
from music.processing_services import crossfade_preview_name, crossfade_seconds
from music.selectors import library_genres, library_tracks

PAGE_SIZE = 50
AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "m4a": "audio/mp4",
    "mp4": "audio/mp4",
    "aac": "audio/aac",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "wav": "audio/wav",
    "aif": "audio/aiff",
    "aiff": "audio/aiff",
}
COLUMNS = [("title", "Title"), ("artist", "Artist"), ("bpm", "BPM"), ("key", "Key"), ("energy", "Energy")]
COLUMNS += [("genre", "Genre"), ("duration", "Length")]


@dataclass(frozen=True)
class BulkAction:
    label: str
    run: Callable[[list[Track]], str]  # -> the message for the DJ
    danger: bool = False


def _analyse(tracks: list[Track]) -> str:
    count = library_services.tracks_analyze_again(track_ids=[track.pk for track in tracks])
    return f"{count} track{'s' if count != 1 else ''} queued for analysis."


def _normalize(tracks: list[Track]) -> str:
    count = library_services.tracks_normalize_later(track_ids=[track.pk for track in tracks])
    target = f"{settings.MUSIC_NORMALIZE_TARGET_LUFS:g} LUFS"
    return f"{count} track{'s' if count != 1 else ''} queued for normalizing to {target}."


def _write_tags(tracks: list[Track]) -> str:
    count = library_services.tracks_write_tags_later(track_ids=[track.pk for track in tracks])
    return f"Writing tags to {count} file{'s' if count != 1 else ''} in the background."


def _delete(tracks: list[Track]) -> str:
    count = library_services.tracks_delete(track_ids=[track.pk for track in tracks])
    return f"Deleted {count} track{'s' if count != 1 else ''} and {'their' if count != 1 else 'its'} files."


BULK_ACTIONS: dict[str, BulkAction] = {
    "analyse": BulkAction("Analyse", _analyse),
    "normalize": BulkAction("Normalize", _normalize),
    "write_tags": BulkAction("Write tags", _write_tags),
    "delete": BulkAction("Delete", _delete, danger=True),
}


@staff_only
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None, genres=library_genres())
    if form.is_bound:
        form.is_valid()
    selection = form.selection()
    page = Paginator(library_tracks(**selection), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    for name in ("page", "xa", "xb", "xs"):
        kept.pop(name, None)
    context = {
        "form": form,
        "page": page,
        "columns": _columns(kept, selection),
        "query": kept.urlencode(),
        "actions": BULK_ACTIONS,
        "crossfade_seconds": f"{settings.MUSIC_CROSSFADE_SECONDS:g}",
        "preview": _preview(request),
        "filtered": any(request.GET.get(name) for name in form.fields if name != "sort"),
        "narrowed": sum(bool(request.GET.get(name)) for name in form.fields if name not in {"q", "sort", "compatible"}),
    }
    return render(request, "music/library.html", context)


@staff_only
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    choices = {name: action.label for name, action in BULK_ACTIONS.items()} | {"crossfade": "Crossfade preview"}
    form = BulkForm(request.POST, actions=choices)
    back = QueryDict(request.POST.get("back", ""), mutable=True)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back_to_library(back)
    tracks = form.ordered_tracks()
    if form.cleaned_data["action"] == "crossfade":
        return _crossfade(request, tracks, form.cleaned_data["seconds"], back)
    messages.success(request, BULK_ACTIONS[form.cleaned_data["action"]].run(tracks))
    return _back_to_library(back)


@staff_only
@require_GET
def track_audio(request: HttpRequest, track_id: uuid.UUID, copy: str = "original") -> HttpResponse:
    """A track's audio (or its normalized copy) for the page's player."""
    track = get_object_or_404(Track, pk=track_id)
    file = track.normalized_audio if copy == "normalized" else track.audio
    if not file:
        raise Http404
    return _serve(request, file.name)


@staff_only
@require_GET
def crossfade_audio(request: HttpRequest, first_id: uuid.UUID, second_id: uuid.UUID) -> HttpResponse:
    """The crossfade preview of one track into another, once the q2 task made it (404 until then)."""
    tracks = Track.objects.in_bulk([first_id, second_id])
    if first_id not in tracks or second_id not in tracks:
        raise Http404
    try:
        seconds = crossfade_seconds(request.GET.get("seconds"))
    except MusicError as error:
        raise Http404 from error
    name = crossfade_preview_name(first=tracks[first_id], second=tracks[second_id], seconds=seconds)
    if not default_storage.exists(name):
        raise Http404
    return _serve(request, name)


def _crossfade(request: HttpRequest, tracks: list[Track], seconds: float | None, back: QueryDict) -> HttpResponse:
    if len(tracks) != 2:
        messages.error(request, "Tick exactly two tracks for a crossfade preview: the first fades into the second.")
        return _back_to_library(back)
    first, second = tracks
    try:
        seconds = library_services.crossfade_preview_later(first=first, second=second, seconds=seconds)
    except MusicError as error:
        messages.error(request, error.message)
        return _back_to_library(back)
    back.update({"xa": str(first.pk), "xb": str(second.pk), "xs": f"{seconds:g}"})
    return _back_to_library(back)


def _preview(request: HttpRequest) -> dict | None:
    """The crossfade the page was asked to show (?xa=first&xb=second&xs=seconds)."""
    try:
        first_id, second_id = uuid.UUID(request.GET.get("xa", "")), uuid.UUID(request.GET.get("xb", ""))
        seconds = crossfade_seconds(request.GET.get("xs"))
    except (ValueError, MusicError):
        return None
    tracks = Track.objects.in_bulk([first_id, second_id])
    if first_id not in tracks or second_id not in tracks:
        return None
    url = reverse("music:crossfade-audio", args=[first_id, second_id])
    return {
        "first": tracks[first_id],
        "second": tracks[second_id],
        "seconds": f"{seconds:g}",
        "url": f"{url}?{urlencode({'seconds': f'{seconds:g}'})}",
    }


def _columns(kept: QueryDict, selection: dict) -> list[dict]:
    """The sortable columns' headers: each links to its sort, and again for the other way round."""
    columns = []
    for name, label in COLUMNS:
        current = selection["sort"] == name
        descending = current and selection["descending"]
        query = kept.copy()
        query["sort"] = f"-{name}" if current and not descending else name
        sort = "descending" if descending else "ascending" if current else "none"
        columns.append({"name": name, "label": label, "url": f"?{query.urlencode()}", "sort": sort})
    return columns


def _back_to_library(query: QueryDict) -> HttpResponse:
    url = reverse("music:library")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _serve(request: HttpRequest, name: str) -> HttpResponse:
    content_type = AUDIO_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # remote storage (S3): the browser fetches it there, by a signed URL
        return redirect(default_storage.url(name))
    if not Path(path).is_file():
        raise Http404
    return ranged_file_response(request, Path(path), content_type=content_type)
