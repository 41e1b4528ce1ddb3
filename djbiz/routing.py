"""Websocket routes of every app, gathered in one list, and the origin check every websocket passes. A route that
needs the session or the user wraps its consumer in AuthMiddlewareStack itself (see djbiz.asgi)."""

from channels.security.websocket import OriginValidator
from django.conf import settings

from comms.routing import websocket_urlpatterns as comms_websocket_urlpatterns
from events.routing import websocket_urlpatterns as events_websocket_urlpatterns

websocket_urlpatterns: list = [*events_websocket_urlpatterns, *comms_websocket_urlpatterns]


class SameSiteOriginValidator(OriginValidator):
    """Channels' AllowedHostsOriginValidator, except that a connection with no Origin header at all passes: a
    browser always sends one (so a foreign page is still refused), native clients such as the mobile app send
    none. Routes that rely on a session cookie add AllowedHostsOriginValidator, which requires the header."""

    def __init__(self, application):
        allowed_hosts = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed_hosts:
            allowed_hosts = ["localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed_hosts)

    def valid_origin(self, parsed_origin) -> bool:
        return parsed_origin is None or self.validate_origin(parsed_origin)
