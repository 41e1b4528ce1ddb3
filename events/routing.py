"""Websocket routes of the live night.

Origins (ARCHITECTURE.md, live feeds): every websocket passes djbiz.routing.SameSiteOriginValidator, which
refuses a browser Origin that is not ours but lets a connection without one through, since the mobile app and
other native clients send none; that is fine for the read-only guest feed. The staff console carries a session
cookie, so it also requires an Origin of ours: without one, a page elsewhere could not ride the cookie, but
neither should anything that is not our own page.

Only the console reads the session (AuthMiddlewareStack): the guest feed is anonymous, and Channels' session
wrapper would otherwise check the session on every message written to every guest."""

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from events.consumers import ConsoleFeedConsumer, EventFeedConsumer

websocket_urlpatterns = [
    path("ws/events/<slug:slug>/", EventFeedConsumer.as_asgi()),
    path(
        "ws/events/<slug:slug>/console/",
        AllowedHostsOriginValidator(AuthMiddlewareStack(ConsoleFeedConsumer.as_asgi())),
    ),
]
