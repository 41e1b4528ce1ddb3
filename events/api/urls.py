from django.urls import path
from rest_framework.routers import SimpleRouter

from events.api import views

router = SimpleRouter(use_regex_path=False)
router.register("events", views.EventViewSet, basename="api-event")
router.register("events/<uuid:event_uuid>/timeline", views.TimelineItemViewSet, basename="api-event-timeline")
router.register("events/<uuid:event_uuid>/checklist", views.ChecklistItemViewSet, basename="api-event-checklist")
router.register("clients", views.ClientViewSet, basename="api-client")
router.register("venues", views.VenueViewSet, basename="api-venue")

urlpatterns = [
    *router.urls,
    path("events/<uuid:event_uuid>/music-plan/", views.MusicPlanView.as_view(), name="api-event-music-plan"),
]
