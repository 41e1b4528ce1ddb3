from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from music import services
from music.downloads import download_item_retry
from music.errors import MusicError
from music.models import DownloadItem, DownloadJob, Track, WantedList, WantedTrack


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "audio/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return [single(file, initial) for file in data] if isinstance(data, list | tuple) else [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label="Audio files", help_text="Choose several at once: mp3, flac, m4a, ogg, wav, aiff.")


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "album", "genre", "year", "bpm", "camelot", "energy", "source")
    list_filter = ("analysis_status", "source", "genre", "camelot")
    search_fields = ("title", "artist", "album", "search_text")
    readonly_fields = (
        "id",
        "audio",
        "file_format",
        "file_size",
        "source",
        "source_url",
        "loudness_lufs",
        "true_peak_db",
        "analysis_status",
        "analysis_error",
        "analyzed_at",
        "created_at",
        "updated_at",
    )
    change_list_template = "admin/music/track/change_list.html"

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="music_track_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """Upload audio files into the library: each is imported, found already there, or refused with a reason."""
        if not self.has_add_permission(request):
            return redirect("admin:music_track_changelist")
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            for file in form.cleaned_data["files"]:
                try:
                    track, created = services.track_upload(file)
                except MusicError as error:
                    messages.error(request, f"Not added: {error.message}")  # the admin capitalises a message
                    continue
                if created:
                    messages.success(request, f"Added {file.name} to the library as “{track}”.")
                else:
                    messages.info(request, f"Already in the library: {file.name} is “{track}”.")
            return redirect("admin:music_track_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": "Upload audio",
        }
        return TemplateResponse(request, "admin/music/track/upload.html", context)

    def delete_model(self, request, obj):
        services.track_delete(obj)

    def delete_queryset(self, request, queryset):
        for track in queryset:
            services.track_delete(track)


class DownloadItemInline(admin.TabularInline):
    model = DownloadItem
    fields = ("position", "title", "url", "status", "progress", "error_code", "error_message", "track")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(DownloadJob)
class DownloadJobAdmin(admin.ModelAdmin):
    """Jobs are made by the Downloads page, the API and `manage.py download`; here they are read."""

    list_display = ("__str__", "status", "is_playlist", "requested_by", "created_at")
    list_filter = ("status", "is_playlist")
    search_fields = ("url", "title")
    readonly_fields = [field.name for field in DownloadJob._meta.fields]
    inlines = [DownloadItemInline]

    def has_add_permission(self, request):
        return False


@admin.register(DownloadItem)
class DownloadItemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "progress", "error_code", "track", "updated_at")
    list_filter = ("status", "error_code")
    search_fields = ("url", "title", "error_message")
    readonly_fields = [field.name for field in DownloadItem._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Try the selected failed items again")
    def retry(self, request, queryset):
        retried = sum(download_item_retry(item) for item in queryset)
        messages.info(request, f"{retried} item{'s' if retried != 1 else ''} queued again.")


class WantedTrackInline(admin.TabularInline):
    model = WantedTrack
    fields = ("position", "title", "artist", "album", "duration_ms", "track")
    readonly_fields = ("position", "title", "artist", "album", "duration_ms")
    raw_id_fields = ("track",)
    extra = 0


@admin.register(WantedList)
class WantedListAdmin(admin.ModelAdmin):
    list_display = ("__str__", "spotify_id", "requested_by", "created_at")
    search_fields = ("name", "url", "tracks__title", "tracks__artist")
    readonly_fields = ("url", "spotify_id", "requested_by", "created_at", "updated_at")
    inlines = [WantedTrackInline]
