"""Admin for music plans and their songs."""

from django.contrib import admin
from django.db.models import Count

from events.admin.common import (
    local_start,
)
from events.admin.forms import PlannedSongForm
from events.models import (
    Client,
    Event,
    MusicPlan,
    PlannedSong,
)


class PlannedSongInline(admin.TabularInline):
    model = PlannedSong
    form = PlannedSongForm
    extra = 0


@admin.register(MusicPlan)
class MusicPlanAdmin(admin.ModelAdmin):
    list_display = ("event", "event_date", "client", "song_count", "clean_versions_only", "guest_requests_allowed")
    list_filter = ("clean_versions_only", "guest_requests_allowed")
    list_select_related = ("event", "event__client")
    search_fields = ("event__title", "event__client__name", "genres_loved", "genres_avoided", "notes")
    date_hierarchy = "event__date"
    autocomplete_fields = ("event",)
    ordering = ("-event__starts_at",)
    inlines = (PlannedSongInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(song_count=Count("songs"))

    @admin.display(description="Event date", ordering="event__starts_at")
    def event_date(self, plan: MusicPlan) -> str:
        return local_start(plan.event, "D M j, Y")

    @admin.display(description="Client", ordering="event__client__name")
    def client(self, plan: MusicPlan) -> Client:
        return plan.event.client

    @admin.display(description="Songs", ordering="song_count")
    def song_count(self, plan: MusicPlan) -> int:
        return plan.song_count


@admin.register(PlannedSong)
class PlannedSongAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "kind", "moment", "event")
    list_filter = ("kind",)
    list_select_related = ("plan__event",)
    search_fields = ("title", "artist", "moment", "plan__event__title")
    date_hierarchy = "plan__event__date"
    autocomplete_fields = ("plan",)
    ordering = ("-plan__event__starts_at", "kind", "position")

    @admin.display(description="Event", ordering="plan__event__starts_at")
    def event(self, song: PlannedSong) -> Event:
        return song.plan.event


# --- Clients, venues, catalogue -------------------------------------------------------------------------
