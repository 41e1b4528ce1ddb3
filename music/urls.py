"""The DJ's library pages, for staff, under /library/."""

from django.urls import path

from music.views import downloads, wanted

app_name = "music"

urlpatterns = [
    path("downloads/", downloads.downloads, name="downloads"),
    path("downloads/status/", downloads.downloads_status, name="downloads-status"),
    path("downloads/items/<uuid:item_id>/retry/", downloads.item_retry, name="download-retry"),
    path("wanted/", wanted.wanted_lists, name="wanted-lists"),
    path("wanted/<uuid:list_id>/", wanted.wanted_list, name="wanted-list"),
    path("wanted/<uuid:list_id>/tracks/<uuid:track_id>/source/", wanted.wanted_source, name="wanted-source"),
]
