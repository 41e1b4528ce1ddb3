"""/library/downloads/: staff paste links (tracks, playlists, podcast feeds; a Spotify playlist becomes a wanted
list) and watch each item's progress, which the page polls from downloads_status as JSON."""

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from djbiz.permissions import staff_only
from music import spotify
from music.downloads import download_item_retry, download_jobs_submit
from music.errors import MusicError
from music.models import DownloadItem, DownloadJob, DownloadStatus
from music.wanted import wanted_list_import

JOBS_SHOWN = 20
MAX_LINKS = 50


class LinksForm(forms.Form):
    links = forms.CharField(
        label="Links",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://…", "spellcheck": "false"}),
        help_text="One per line: a track, a playlist, a podcast feed, or a Spotify playlist (read into a wanted list).",
    )

    def clean_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(links) > MAX_LINKS:
            raise forms.ValidationError(f"At most {MAX_LINKS} links at once.")
        return links


@staff_only
def downloads(request):
    form = LinksForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        links = form.cleaned_data["links"]
        playlists = [link for link in links if spotify.playlist_id(link)]
        others = [link for link in links if link not in playlists]
        try:
            for link in playlists:
                wanted_list = wanted_list_import(url=link, user=request.user)
                messages.success(request, f"Spotify playlist “{wanted_list}” read into a wanted list.")
            if others:
                jobs = download_jobs_submit(urls=others, user=request.user)
                messages.success(request, f"{len(jobs)} link{'s' if len(jobs) != 1 else ''} queued.")
        except MusicError as error:
            form.add_error("links", error.message)
        else:
            if len(playlists) == 1 and not others:
                return redirect("music:wanted-list", wanted_list.pk)
            return redirect("music:downloads")
    context = {"form": form, "jobs": _recent_jobs(), "status_url": reverse("music:downloads-status")}
    return TemplateResponse(request, "music/downloads.html", context)


@staff_only
@require_GET
def downloads_status(request):
    """The page's jobs and items as JSON, for its live progress; `active` while any is still under way."""
    jobs = _recent_jobs()
    finished = {DownloadStatus.DONE, DownloadStatus.FAILED}
    active = any(
        job.status not in finished or any(item.status not in finished for item in job.items.all()) for job in jobs
    )
    return JsonResponse(
        {
            "active": active,
            "jobs": [
                {
                    "id": str(job.pk),
                    "status": job.status,
                    "status_label": job.get_status_display(),
                    "error": job.error_message,
                    "items": [_item_json(item) for item in job.items.all()],
                }
                for job in jobs
            ],
        }
    )


@staff_only
@require_POST
def item_retry(request, item_id):
    item = get_object_or_404(DownloadItem, pk=item_id)
    if download_item_retry(item):
        messages.info(request, f"“{item}” queued again.")
    return redirect("music:downloads")


def _item_json(item: DownloadItem) -> dict:
    return {
        "id": str(item.pk),
        "title": item.title,
        "status": item.status,
        "status_label": item.get_status_display(),
        "progress": item.progress,
        "error_code": item.error_code,
        "error": item.error_message,
        "track": str(item.track) if item.track else "",
    }


def _recent_jobs() -> list[DownloadJob]:
    return list(DownloadJob.objects.select_related("requested_by").prefetch_related("items__track")[:JOBS_SHOWN])
