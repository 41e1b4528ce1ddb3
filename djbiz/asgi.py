"""ASGI entry point for daphne: HTTP through Django, websockets through Channels routing.

Websockets pass the origin check here; sessions and the user are added per route, by the routes that need them
(events.routing): a session wrapper around the anonymous guest feed would cost a session check on every message
written to every guest."""

import django

from djbiz.boot import load_settings_or_exit

load_settings_or_exit()
django.setup(set_prefix=False)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402  (Django must be set up first)

from djbiz.asgi_handler import SyncChainASGIHandler  # noqa: E402
from djbiz.routing import SameSiteOriginValidator, websocket_urlpatterns  # noqa: E402

django_asgi_app = SyncChainASGIHandler()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameSiteOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
