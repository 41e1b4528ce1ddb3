"""The DJ's library pages, for staff, under /library/."""

from django.urls import path

from music.views import downloads, duplicates, enrichment, library, wanted

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
    path("downloads/", downloads.downloads, name="downloads"),
    path("downloads/status/", downloads.downloads_status, name="downloads-status"),
    path("downloads/items/<uuid:item_id>/retry/", downloads.item_retry, name="download-retry"),
    path("wanted/", wanted.wanted_lists, name="wanted-lists"),
    path("wanted/<uuid:list_id>/", wanted.wanted_list, name="wanted-list"),
    path("wanted/<uuid:list_id>/tracks/<uuid:track_id>/source/", wanted.wanted_source, name="wanted-source"),
]
