"""/library/wanted/: Spotify playlists read into wanted lists; for each track, the library's copy, or a link the
DJ picks to download it from."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from djbiz.permissions import staff_only
from music.downloads import wanted_track_source
from music.errors import MusicError
from music.models import WantedList, WantedTrack
from music.wanted import wanted_list_import, wanted_list_recheck


class PlaylistForm(forms.Form):
    url = forms.CharField(
        label="Spotify playlist link",
        widget=forms.TextInput(attrs={"placeholder": "https://open.spotify.com/playlist/…", "spellcheck": "false"}),
    )


class SourceForm(forms.Form):
    url = forms.URLField(label="Download from", assume_scheme="https", max_length=2000)


@staff_only
def wanted_lists(request):
    form = PlaylistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            wanted_list = wanted_list_import(url=form.cleaned_data["url"], user=request.user)
        except MusicError as error:
            form.add_error("url", error.message)
        else:
            return redirect("music:wanted-list", wanted_list.pk)
    lists = WantedList.objects.annotate(
        total=Count("tracks"), have=Count("tracks", filter=Q(tracks__track__isnull=False))
    )
    return TemplateResponse(request, "music/wanted_lists.html", {"form": form, "lists": lists})


@staff_only
def wanted_list(request, list_id):
    wanted = get_object_or_404(WantedList, pk=list_id)
    if request.method == "POST":
        found = wanted_list_recheck(wanted)
        messages.info(request, f"{found} more found in the library." if found else "Nothing more found in the library.")
        return redirect("music:wanted-list", wanted.pk)
    rows = wanted.tracks.select_related("track").prefetch_related("download_items")
    context = {
        "wanted": wanted,
        "rows": [(row, _latest(row), SourceForm(prefix=str(row.pk))) for row in rows],
        "have": sum(1 for row in rows if row.track_id),
    }
    return TemplateResponse(request, "music/wanted_list.html", context)


@staff_only
@require_POST
def wanted_source(request, list_id, track_id):
    row = get_object_or_404(WantedTrack, pk=track_id, wanted_list_id=list_id)
    form = SourceForm(request.POST, prefix=str(row.pk))
    if not form.is_valid():
        messages.error(request, f"“{row}”: {form.errors['url'][0]}")
    else:
        try:
            wanted_track_source(wanted=row, url=form.cleaned_data["url"], user=request.user)
        except MusicError as error:
            messages.error(request, f"“{row}”: {error.message}")
        else:
            messages.success(request, f"“{row}” queued for download.")
    return redirect(reverse("music:wanted-list", args=[list_id]) + f"#row-{row.pk}")


def _latest(row: WantedTrack):
    items = sorted(row.download_items.all(), key=lambda item: item.created_at)
    return items[-1] if items else None
