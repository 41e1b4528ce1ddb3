"""The portal chat's websockets. They authenticate, join the client's chat group through the fan-out hub
(events/fanout.py), keep the side's presence, and relay: what a page sends goes to comms/services/chat.py.

A page sends JSON objects with a `type`:
- `send` {body, ref}: write a message; answered with `sent` {ref, id} or `error` {ref, message, code}. The message
  itself reaches every page of both sides through the group, as `message` {message, unread}.
- `read` {up_to}: this side has read the thread up to that message id (the window has the focus); the group hears
  `read` {side, up_to, unread}.
- `sync` {after}: the messages after that id (a page that reconnected): answered with `messages` {messages}.
- `ping`: the heartbeat that keeps this side present (every 25 s).
The group also carries `presence` {side, online}. The first frame the server sends is `hello` {side, other_online,
unread}."""

import json
import time
from dataclasses import asdict

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from comms.models import ChatSide
from comms.services.chat import chat_client_for, chat_mark_read, chat_post, chat_thread, chat_unread_count
from comms.services.chat_feed import chat_group
from comms.services.chat_presence import presence_join, presence_leave, presence_touch, side_online
from djbiz.errors import DomainError
from events import fanout
from events.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND
from events.models import Client

FRAMES_PER_WINDOW = 40  # frames a page may send per window; more are answered with an error and dropped
FRAME_WINDOW_SECONDS = 10


def _hello(client: Client, side: str) -> dict:
    other = ChatSide.STAFF if side == ChatSide.CLIENT else ChatSide.CLIENT
    return {
        "type": "hello",
        "side": side,
        "other_online": side_online(client_id=client.pk, side=other),
        "unread": chat_unread_count(client=client, side=side),
    }


class ChatConsumer(AsyncWebsocketConsumer):
    # No channel of its own: the hub reads the client's chat group once for all of this process's sockets.
    channel_layer_alias = None
    side = ChatSide.CLIENT
    feed: fanout.Subscriber | None = None
    connection = None  # this socket's presence row
    client: Client | None = None

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:  # however the socket ends: leave the group
            if self.feed:
                self.feed.close()

    def find_client(self, user) -> Client | None:
        """The client whose chat this user may open here; None refuses the socket."""
        return chat_client_for(user)

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not (user and user.is_authenticated):
            await self.refuse(CLOSE_FORBIDDEN)
            return
        self.client = await database_sync_to_async(self.find_client)(user)
        if self.client is None:
            await self.refuse(CLOSE_NOT_FOUND if user.is_business else CLOSE_FORBIDDEN)
            return
        self.frames, self.window = 0, time.monotonic()
        self.feed = await fanout.subscribe(chat_group(self.client.pk), self.base_send)
        self.connection = await database_sync_to_async(presence_join)(client_id=self.client.pk, side=self.side)
        hello = await database_sync_to_async(_hello)(self.client, self.side)
        await self.accept()
        await self.send_json(hello)
        await self.feed.open()  # what arrived since joining follows the hello

    async def refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code) -> None:
        if self.connection is not None:
            await database_sync_to_async(presence_leave)(connection=self.connection)

    async def send_json(self, payload: dict) -> None:
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if self.client is None:
            return
        if not self.count_frame():
            await self.send_json({"type": "error", "message": "Too many messages at once. Wait a moment."})
            return
        try:
            data = json.loads(text_data or "")
            kind = data["type"]
        except (ValueError, TypeError, KeyError):
            return
        handler = {"send": self.on_send, "read": self.on_read, "sync": self.on_sync, "ping": self.on_ping}.get(kind)
        if handler is not None:
            await handler(data)

    def count_frame(self) -> bool:
        now = time.monotonic()
        if now - self.window >= FRAME_WINDOW_SECONDS:
            self.frames, self.window = 0, now
        self.frames += 1
        return self.frames <= FRAMES_PER_WINDOW

    async def on_send(self, data: dict) -> None:
        ref = str(data.get("ref", ""))[:40]
        try:
            message = await database_sync_to_async(chat_post)(
                client=self.client, author=self.scope["user"], body=str(data.get("body", ""))
            )
        except DomainError as error:
            await self.send_json({"type": "error", "ref": ref, "message": error.message, "code": error.code})
            return
        await self.send_json({"type": "sent", "ref": ref, "id": message.pk})

    async def on_read(self, data: dict) -> None:
        up_to = data.get("up_to")
        if isinstance(up_to, int):
            await database_sync_to_async(chat_mark_read)(client=self.client, side=self.side, up_to=up_to)

    async def on_sync(self, data: dict) -> None:
        after = data.get("after")
        if isinstance(after, int):
            lines = await database_sync_to_async(chat_thread)(client=self.client, after_id=after)
            await self.send_json({"type": "messages", "messages": [asdict(line) for line in lines]})

    async def on_ping(self, data: dict) -> None:
        await database_sync_to_async(presence_touch)(
            connection=self.connection, client_id=self.client.pk, side=self.side
        )


class ClientChatConsumer(ChatConsumer):
    """`/ws/chat/`: a client's own chat, whoever they are taken from the session (no id to guess)."""


class StaffChatConsumer(ChatConsumer):
    """`/ws/chat/<client uuid>/`: staff on a client's thread; owners and staff DJs only."""

    side = ChatSide.STAFF

    def find_client(self, user) -> Client | None:
        if not user.is_business:
            return None
        return Client.objects.filter(uuid=self.scope["url_route"]["kwargs"]["client_uuid"]).first()
