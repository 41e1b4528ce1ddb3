"""/library/tracks/<id>/suggestions/: what MusicBrainz and the Cover Art Archive propose for a track, for the DJ
to accept (all, or field by field) or reject; buttons to look the track up and to write its tags to its file
(background jobs)."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from django_q.tasks import async_task

from djbiz.errors import DomainError
from djbiz.permissions import staff_only
from music.enrichment import suggestion_accept, suggestion_reject
from music.models import SuggestionStatus, Track, TrackSuggestion

LABELS = {"title": "Title", "artist": "Artist", "album": "Album", "genre": "Genre", "year": "Year"}
HISTORY = 10


@staff_only
@require_http_methods(["GET", "POST"])
def track_suggestions(request, track_id):
    track = get_object_or_404(Track, pk=track_id)
    if request.method == "POST":
        _act(request, track)
        return redirect("music:track-suggestions", track_id=track.pk)
    pending = track.suggestions.filter(status=SuggestionStatus.PENDING).first()
    context = {
        "track": track,
        "pending": pending,
        "rows": _rows(track, pending) if pending else [],
        "history": track.suggestions.exclude(status=SuggestionStatus.PENDING)[:HISTORY],
        "enrichment_enabled": settings.MUSIC_ENRICHMENT_ENABLED,
    }
    return TemplateResponse(request, "music/track_suggestions.html", context)


def _act(request, track: Track) -> None:
    action = request.POST.get("action")
    if action == "lookup":
        if not settings.MUSIC_ENRICHMENT_ENABLED:
            messages.error(request, "Metadata enrichment is off.")
            return
        transaction.on_commit(lambda: async_task("music.tasks.enrich_track", str(track.pk)))
        messages.info(request, "Looking it up on MusicBrainz: reload this page in a minute.")
        return
    if action == "write_tags":
        transaction.on_commit(lambda: async_task("music.tasks.write_track_tags", str(track.pk)))
        messages.info(request, "Writing the tags to the file in the background.")
        return
    try:
        suggestion_id = uuid.UUID(request.POST.get("suggestion", ""))
    except ValueError:
        raise Http404 from None
    suggestion = get_object_or_404(TrackSuggestion, pk=suggestion_id, track=track)
    try:
        if action == "accept":
            fields = request.POST.getlist("fields")
            suggestion_accept(suggestion=suggestion, user=request.user, fields=fields, cover="cover" in request.POST)
        elif action == "accept_all":
            suggestion_accept(suggestion=suggestion, user=request.user)
        elif action == "reject":
            suggestion_reject(suggestion=suggestion, user=request.user)
            messages.success(request, "Suggestion rejected: the track stays as it was.")
            return
        else:
            messages.error(request, "Choose accept or reject.")
            return
    except DomainError as error:
        messages.error(request, error.message)
        return
    taken = [LABELS.get(field, field).lower() for field in suggestion.accepted_fields]
    messages.success(request, f"Updated {', '.join(taken)}. “Write tags to the file” puts it in the audio file too.")


def _rows(track: Track, suggestion: TrackSuggestion) -> list[dict]:
    """One row per proposed field: what the track has, what is proposed, and whether it starts ticked (a field
    the track lacks; a change to one it has is the DJ's call)."""
    rows = []
    for field in suggestion.proposed_fields():
        proposed, current = suggestion.fields[field], getattr(track, field)
        rows.append(
            {
                "field": field,
                "label": LABELS.get(field, field),
                "current": current,
                "proposed": proposed,
                "empty": current in ("", None),
            }
        )
    return rows
