from django.urls import path

from analytics.api import views

urlpatterns = [
    path("analytics/surveys/", views.SurveySummaryView.as_view(), name="api-analytics-surveys"),
]
