from django.urls import path

from analytics import views

app_name = "analytics"
urlpatterns = [
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/responses.csv", views.surveys_csv, name="surveys-csv"),
]
