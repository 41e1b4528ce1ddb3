from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/events/<uuid:event_uuid>/", views.portal_event, name="portal-event"),
    path("portal/events/<uuid:event_uuid>/music-plan/", views.portal_music_plan, name="portal-music-plan"),
    path("portal/events/<uuid:event_uuid>/timeline/", views.portal_timeline, name="portal-timeline"),
    path("e/<slug:slug>/", views.guest, name="guest"),
    path("events/<slug:slug>/console/", views.console, name="console"),
    path("events/<slug:slug>/summary/", views.summary, name="summary"),
]
