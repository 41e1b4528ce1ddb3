"""Websocket consumers of the live night. They authenticate, join the event's group and relay: a feed message
arrives already encoded (events.feed) and goes out as it is, with no per-guest database work. The joining and
relaying go through the process's fan-out hub (events.fanout): one layer subscription per event per process,
written straight to each socket, instead of a channel, a reader and a task switch per socket."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from events import fanout
from events.feed import group_name
from events.models import LiveNight
from events.selectors import events_for_guests

# Close codes a client reads to stop reconnecting: the event does not exist (any more), or log in again.
CLOSE_NOT_FOUND = 4404
CLOSE_FORBIDDEN = 4403


def _guest_event_id(slug: str) -> int | None:
    return events_for_guests().filter(slug=slug).values_list("pk", flat=True).first()


def _sequence(event_id: int) -> int:
    return LiveNight.objects.filter(event_id=event_id).values_list("sequence", flat=True).first() or 0


class EventFeedConsumer(AsyncWebsocketConsumer):
    """`/ws/events/<slug>/`: anonymous and read-only; what a guest sends is ignored."""

    # No channel of its own (None names no configured layer, so Channels gives the consumer no channel and no
    # layer reader): the hub reads the event's group once for all of this process's sockets.
    channel_layer_alias = None
    feed: fanout.Subscriber | None = None

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:  # however the socket ends (closed, refused, server shutting down): leave the group
            if self.feed:
                self.feed.close()

    async def connect(self) -> None:
        if not await self.allowed():
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        event_id = await database_sync_to_async(_guest_event_id)(self.scope["url_route"]["kwargs"]["slug"])
        if event_id is None:
            await self.accept()
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.feed = await fanout.subscribe(group_name(event_id), self.base_send)
        # Read after joining: a change committed in between is in this number, so the client's snapshot has it.
        sequence = await database_sync_to_async(_sequence)(event_id)
        await self.accept()
        await self.send(text_data=json.dumps({"kind": "hello", "seq": sequence}))
        await self.feed.open()  # what arrived since joining follows the hello

    async def allowed(self) -> bool:
        return True

    async def receive(self, text_data=None, bytes_data=None) -> None:
        """Read-only: the feed carries no commands (changes go through the API)."""


class ConsoleFeedConsumer(EventFeedConsumer):
    """`/ws/events/<slug>/console/`: the same feed for the DJ console, for a logged-in owner or staff DJ only.
    The route also requires a browser Origin of ours (events/routing.py): a session cookie is never enough."""

    async def allowed(self) -> bool:
        user = self.scope.get("user")
        return bool(user and user.is_authenticated and user.is_business)
