"""The DJ's library pages, for staff, under /library/."""

from django.urls import path

from music.views import duplicates, enrichment, library

app_name = "music"

urlpatterns = [
    path("duplicates/", duplicates.duplicates, name="duplicates"),
    path("duplicates/merge/", duplicates.duplicates_merge_view, name="duplicates_merge"),
    path("", library.library, name="library"),
    path("bulk/", library.bulk, name="bulk"),
    path("tracks/<uuid:track_id>/audio/", library.track_audio, name="track-audio"),
    path(
        "tracks/<uuid:track_id>/normalized/",
        library.track_audio,
        {"copy": "normalized"},
        name="track-normalized-audio",
    ),
    path("crossfade/<uuid:first_id>/<uuid:second_id>/", library.crossfade_audio, name="crossfade-audio"),
    path("tracks/<uuid:track_id>/suggestions/", enrichment.track_suggestions, name="track-suggestions"),
]
