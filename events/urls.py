from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("portal/", views.portal, name="portal"),
]
