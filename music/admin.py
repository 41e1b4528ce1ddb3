from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from music import library_services, services
from music.duplicates import duplicate_groups, duplicates_merge
from music.errors import MusicError
from music.models import Track


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
        "replaygain_db",
        "normalized_audio",
        "normalized_target_lufs",
        "analysis_status",
        "analysis_error",
        "analyzed_at",
        "created_at",
        "updated_at",
    )
    change_list_template = "admin/music/track/change_list.html"
    actions = ["analyse_again", "normalize", "merge_duplicates"]

    @admin.action(description="Analyse the selected tracks again")
    def analyse_again(self, request, queryset):
        count = library_services.tracks_analyze_again(track_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} track{'s' if count != 1 else ''} queued for analysis.")

    @admin.action(description="Make normalized copies of the selected tracks")
    def normalize(self, request, queryset):
        count = library_services.tracks_normalize_later(track_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} track{'s' if count != 1 else ''} queued for normalizing.")

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

    @admin.action(description="Merge duplicates among the selected tracks (keep the best copy)", permissions=["delete"])
    def merge_duplicates(self, request, queryset):
        """Group the selected tracks that are copies of one recording and merge each group into its best copy."""
        merged = 0
        for group in duplicate_groups(tracks=queryset):
            try:
                kept = duplicates_merge(keep=group.best, others=group.tracks[1:])
            except MusicError as error:
                messages.error(request, error.message)
                continue
            merged += 1
            messages.success(
                request, f"Kept “{kept}” ({kept.file_format}); merged {len(group.tracks) - 1} other copies."
            )
        if not merged:
            messages.info(
                request, "No duplicates among the selected tracks (tracks not fingerprinted yet are skipped)."
            )

    def delete_model(self, request, obj):
        services.track_delete(obj)

    def delete_queryset(self, request, queryset):
        for track in queryset:
            services.track_delete(track)
