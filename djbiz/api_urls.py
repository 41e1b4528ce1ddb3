"""Every app's API under /api/v1/, plus the OpenAPI schema and its docs (served from local assets)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("events.api.urls")),
    path("", include("events.api.live_urls")),
    path("", include("events.api.bidding_urls")),
    path("", include("music.api.urls")),
    path("", include("analytics.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
