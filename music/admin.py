from django.contrib import admin

from music.models import Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "album", "genre", "year", "bpm", "camelot", "energy", "source")
    list_filter = ("source", "genre", "camelot")
    search_fields = ("title", "artist", "album", "search_text")
    readonly_fields = ("id", "created_at", "updated_at")
