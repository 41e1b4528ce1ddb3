from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from djbiz.errors import DomainError
from music import library_services, services
from music.downloads import download_item_retry
from music.duplicates import duplicate_groups, duplicates_merge
from music.enrichment import suggestion_accept, suggestion_reject
from music.errors import MusicError
from music.models import DownloadItem, DownloadJob, SuggestionStatus, Track, TrackSuggestion, WantedList, WantedTrack


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
        "bitrate_kbps",
        "sample_rate_hz",
        "cover_preview",
        "cover_art",
        "suggestions_page",
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
    actions = ["analyse_again", "normalize", "write_tags", "write_tags_with_analysis", "merge_duplicates"]

    @admin.action(description="Analyse the selected tracks again")
    def analyse_again(self, request, queryset):
        count = library_services.tracks_analyze_again(track_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} track{'s' if count != 1 else ''} queued for analysis.")

    @admin.action(description="Make normalized copies of the selected tracks")
    def normalize(self, request, queryset):
        count = library_services.tracks_normalize_later(track_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} track{'s' if count != 1 else ''} queued for normalizing.")

    @admin.display(description="Cover")
    def cover_preview(self, track):
        if not track.cover_thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" width="160" style="border-radius:6px">', track.cover_thumbnail.url)

    @admin.display(description="MusicBrainz suggestions")
    def suggestions_page(self, track):
        url = reverse("music:track-suggestions", kwargs={"track_id": track.pk})
        return format_html('<a href="{}">Review or look up</a>', url)

    @admin.action(description="Write tags to files")
    def write_tags(self, request, queryset):
        self._queue_tag_writing(request, queryset, include_analysis=False)

    @admin.action(description="Write tags to files, with analysed BPM and key")
    def write_tags_with_analysis(self, request, queryset):
        self._queue_tag_writing(request, queryset, include_analysis=True)

    def _queue_tag_writing(self, request, queryset, *, include_analysis: bool) -> None:
        count = library_services.tracks_write_tags_later(
            track_ids=queryset.values_list("pk", flat=True), include_analysis=include_analysis
        )
        messages.success(request, f"Writing tags to {count} file{'s' if count != 1 else ''} in the background.")

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


@admin.register(TrackSuggestion)
class TrackSuggestionAdmin(admin.ModelAdmin):
    """What enrichment proposed; the DJ decides here (all of it) or on the track's suggestions page (field by
    field)."""

    list_display = ("track", "status", "matched_by", "score", "proposed", "created_at", "decided_by")
    list_filter = ("status", "matched_by")
    search_fields = ("track__title", "track__artist", "recording_mbid")
    list_select_related = ("track", "decided_by")
    readonly_fields = [field.name for field in TrackSuggestion._meta.fields] + ["review_page"]
    actions = ["accept", "reject"]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        if obj.cover:
            obj.cover.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for suggestion in queryset:
            self.delete_model(request, suggestion)

    @admin.display(description="Proposed")
    def proposed(self, suggestion):
        return ", ".join([*suggestion.proposed_fields(), *(["cover"] if suggestion.cover else [])]) or "—"

    @admin.display(description="Review")
    def review_page(self, suggestion):
        url = reverse("music:track-suggestions", kwargs={"track_id": suggestion.track_id})
        return format_html('<a href="{}">Accept or reject field by field</a>', url)

    @admin.action(description="Accept all of the selected suggestions")
    def accept(self, request, queryset):
        self._decide(request, queryset, lambda suggestion: suggestion_accept(suggestion=suggestion, user=request.user))

    @admin.action(description="Reject the selected suggestions")
    def reject(self, request, queryset):
        self._decide(request, queryset, lambda suggestion: suggestion_reject(suggestion=suggestion, user=request.user))

    def _decide(self, request, queryset, decide) -> None:
        done = 0
        for suggestion in queryset.filter(status=SuggestionStatus.PENDING):
            try:
                decide(suggestion)
            except DomainError as error:
                messages.error(request, f"{suggestion.track}: {error.message}")
                continue
            done += 1
        messages.success(request, f"Decided {done} suggestion{'s' if done != 1 else ''}.")


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
