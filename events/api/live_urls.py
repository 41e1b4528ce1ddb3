"""Guest API of the live night: queue, requests, votes (and the staff actions on them)."""

from django.urls import path

from events.api import live

urlpatterns = [
    path("events/<slug:slug>/queue/", live.QueueView.as_view(), name="api-event-queue"),
    path("events/<slug:slug>/requests/", live.RequestsView.as_view(), name="api-event-requests"),
    path("events/<slug:slug>/library/", live.LibrarySearchView.as_view(), name="api-event-library"),
    path("events/<slug:slug>/requests/<uuid:request_id>/vote/", live.VoteView.as_view(), name="api-event-request-vote"),
    path(
        "events/<slug:slug>/requests/<uuid:request_id>/status/",
        live.RequestStatusView.as_view(),
        name="api-event-request-status",
    ),
    path("events/<slug:slug>/live/", live.LiveSettingsView.as_view(), name="api-event-live"),
    path("events/<slug:slug>/plan-matches/", live.PlanMatchesView.as_view(), name="api-event-plan-matches"),
    path("events/<slug:slug>/announcements/", live.AnnouncementsView.as_view(), name="api-event-announcements"),
]
