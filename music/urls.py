"""The DJ's library pages, for staff, under /library/."""

from django.urls import path

from music.views import duplicates

app_name = "music"

urlpatterns: list = [
    path("duplicates/", duplicates.duplicates, name="duplicates"),
    path("duplicates/merge/", duplicates.duplicates_merge_view, name="duplicates_merge"),
]
