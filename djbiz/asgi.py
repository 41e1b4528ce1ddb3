"""ASGI entry point for daphne: HTTP through Django, websockets through Channels routing."""

from django.core.asgi import get_asgi_application

from djbiz.boot import load_settings_or_exit

load_settings_or_exit()
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (Django must be set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from djbiz.routing import SameSiteOriginValidator, websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameSiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
