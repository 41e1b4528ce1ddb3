# ruff: noqa: E402  (Django settings are loaded before Channels is imported)
"""The bare relay that benchmarks/live_fanout.py measures the live feed against, served by daphne as
`benchmarks._bare_relay_asgi:application` with the project's settings (so the same channel layer).

Websocket (any path): join one group, say hello, relay each group message's text as it is.
HTTP POST (any path): wrap the body in a feed message (encoded once) and group_send it; answer 201.
No database, no authentication, no origin check: the least a Channels relay can do per message.
Not a benchmark itself (`make bench` skips files starting with an underscore)."""

import json

from djbiz.boot import load_settings_or_exit

load_settings_or_exit()

import django

django.setup()

from channels.generic.http import AsyncHttpConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter

GROUP = "bare-relay"


class RelayFeed(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()
        await self.send(text_data='{"kind":"hello","seq":0}')

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def relay_message(self, message: dict) -> None:
        await self.send(text_data=message["text"])


class RelayPost(AsyncHttpConsumer):
    sequence = 0

    async def handle(self, body: bytes) -> None:
        RelayPost.sequence += 1
        feed = {"seq": RelayPost.sequence, "kind": "request", "data": json.loads(body)}
        text = json.dumps(feed, separators=(",", ":"))
        await self.channel_layer.group_send(GROUP, {"type": "relay.message", "text": text})
        await self.send_response(201, b'{"ok":true}', headers=[(b"Content-Type", b"application/json")])


application = ProtocolTypeRouter({"http": RelayPost.as_asgi(), "websocket": RelayFeed.as_asgi()})
