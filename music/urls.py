"""The DJ's library pages, for staff, under /library/."""

from django.urls import path

from music.views import enrichment

app_name = "music"

urlpatterns: list = [
    path("tracks/<uuid:track_id>/suggestions/", enrichment.track_suggestions, name="track-suggestions"),
]
