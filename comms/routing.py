"""Websocket routes of the portal chat. Both carry a session cookie, so both require a browser Origin of ours
(AllowedHostsOriginValidator), as the DJ console does (events/routing.py)."""

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from comms.consumers import ClientChatConsumer, StaffChatConsumer

websocket_urlpatterns = [
    path("ws/chat/", AllowedHostsOriginValidator(AuthMiddlewareStack(ClientChatConsumer.as_asgi()))),
    path(
        "ws/chat/<uuid:client_uuid>/",
        AllowedHostsOriginValidator(AuthMiddlewareStack(StaffChatConsumer.as_asgi())),
    ),
]
