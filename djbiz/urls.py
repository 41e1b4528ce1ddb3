from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from djbiz import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("events.urls")),
    path("", include("events.qr_urls")),
    path("library/", include("music.urls")),
    path("api/v1/", include("djbiz.api_urls")),
    path("webhooks/", include("billing.urls")),
    path("", include("comms.urls")),
    path("analytics/", include("analytics.urls")),
    # One login page for everyone, so the admin is behind the same rate limit as the portal and the API.
    path("admin/login/", views.admin_login_redirect),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

handler403 = "djbiz.views.permission_denied"
handler404 = "djbiz.views.page_not_found"
handler500 = "djbiz.views.server_error"
