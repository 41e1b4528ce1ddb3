"""The duplicates page (staff): the groups of copies of one recording, each copy playable, and a merge into the
copy the DJ picks (the best one is picked to begin with)."""

import uuid
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from djbiz.permissions import staff_only
from music.duplicates import (
    LOSSLESS_FORMATS,
    duplicate_groups,
    duplicates_merge,
    track_bitrate_kbps,
    tracks_without_fingerprint,
)
from music.errors import MusicError
from music.models import Track


@dataclass(frozen=True)
class Copy:
    track: Track
    lossless: bool
    bitrate_kbps: int | None
    duration: str  # m:ss
    size_mb: float | None


class MergeForm(forms.Form):
    keep = forms.UUIDField()

    def __init__(self, data):
        super().__init__(data)
        self.track_ids = data.getlist("tracks")

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["tracks"] = {uuid.UUID(value) for value in self.track_ids}
        except ValueError as error:
            raise forms.ValidationError("Not a track.") from error
        if "keep" in cleaned and cleaned["keep"] not in cleaned["tracks"]:
            raise forms.ValidationError("Choose one of the group’s copies to keep.")
        return cleaned


@staff_only
def duplicates(request):
    groups = [[_copy(track) for track in group.tracks] for group in duplicate_groups()]
    context = {"groups": groups, "not_fingerprinted": tracks_without_fingerprint().count()}
    return render(request, "music/duplicates.html", context)


@staff_only
@require_POST
def duplicates_merge_view(request):
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Choose the copy to keep.")
        return redirect("music:duplicates")
    tracks = {track.pk: track for track in Track.objects.filter(pk__in=form.cleaned_data["tracks"])}
    keep = tracks.pop(form.cleaned_data["keep"], None)
    if keep is None:
        messages.error(request, "The copy you chose is no longer in the library.")
        return redirect("music:duplicates")
    try:
        kept = duplicates_merge(keep=keep, others=tracks.values())
    except MusicError as error:
        messages.error(request, error.message)
    else:
        count = len(tracks)
        messages.success(
            request, f"Merged {count} cop{'ies' if count != 1 else 'y'} into “{kept}” ({kept.file_format})."
        )
    return redirect("music:duplicates")


def _copy(track: Track) -> Copy:
    seconds = round((track.duration_ms or 0) / 1000)
    return Copy(
        track=track,
        lossless=track.file_format.lower() in LOSSLESS_FORMATS,
        bitrate_kbps=track_bitrate_kbps(track),
        duration=f"{seconds // 60}:{seconds % 60:02d}",
        size_mb=round(track.file_size / 1_000_000, 1) if track.file_size else None,
    )
