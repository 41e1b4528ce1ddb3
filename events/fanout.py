"""Process-local fan-out of the live feeds: one channel-layer subscription per event group per process, however
many of the event's sockets this process holds.

A naive relay gives every socket its own channel in the group, so each feed message costs one layer send, one
queue wake-up and one task switch per socket (and on Redis a channel name per socket inside the message). Here
the first local socket of a group makes the hub create one channel, add it to the group and start one reader
task; each message that reader takes is written straight to every local socket's ASGI `send`. daphne's send
frames and writes without suspending, so the loop over the sockets runs without a single task switch. The last
socket leaving stops the reader and discards the channel.

The hub keeps its membership alive (it re-adds the channel every minute, which also heals a layer that lost its
groups, e.g. a Redis restarted empty) and survives layer errors by subscribing again with backoff. Messages
lost meanwhile show up as a gap in the sequence numbers, and clients fetch a snapshot (ARCHITECTURE.md, live
feeds). Each event loop has its own hub (channels-redis binds its connections to the loop); several daphne
processes each have theirs and meet in the layer's group.
"""

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable

from channels.layers import BaseChannelLayer, get_channel_layer

from events.feed import MESSAGE_TYPE

logger = logging.getLogger(__name__)

Send = Callable[[dict], Awaitable[None]]

RENEW_SECONDS = 60.0  # re-add the group's channel this often (or a quarter of the layer's group_expiry if shorter)
RETRY_FIRST_SECONDS = 0.5  # after a layer error, subscribe again after this long, doubling up to the maximum
RETRY_MAX_SECONDS = 15.0
CANCEL_AGAIN_SECONDS = 0.5  # a reader not stopped this long after being cancelled is cancelled again
DISCARD_TIMEOUT_SECONDS = 5.0  # longest wait to take the channel out of the group when the last socket goes


class Subscriber:
    """One socket's place in a group. Messages are held until open(), so that the socket's hello goes first."""

    __slots__ = ("_group", "_held", "_send")

    def __init__(self, group: "_Group", send: Send):
        self._group = group
        self._send = send
        self._held: list[dict] | None = []

    async def open(self) -> None:
        """Send what arrived while the socket was connecting, then receive messages as they come."""
        held = self._held
        while held:
            await self._send(held.pop(0))
        self._held = None

    def close(self) -> None:
        """Leave the group (idempotent); the last subscriber out ends the group's subscription."""
        self._group.remove(self)

    async def deliver(self, message: dict) -> None:
        if self._held is not None:
            self._held.append(message)
            return
        await self._send(message)


class _Group:
    """The subscription of one process (event loop) to one group, and the local sockets it feeds."""

    def __init__(self, hub: "Hub", name: str):
        self.hub = hub
        self.name = name
        self.channel: str | None = None
        self.joined = False  # the channel is a member of the group (as far as the last layer call knows)
        self.subscribers: dict[Subscriber, None] = {}  # insertion-ordered set
        self.tried = asyncio.Event()  # the first attempt to join has finished (either way)
        self.reader = asyncio.create_task(self._read(), name=f"fanout {name}")
        self.renewer = asyncio.create_task(self._renew(), name=f"fanout renew {name}")

    def remove(self, subscriber: Subscriber) -> None:
        self.subscribers.pop(subscriber, None)
        if not self.subscribers and self.hub.groups.get(self.name) is self:
            del self.hub.groups[self.name]
            leaving = asyncio.ensure_future(self._leave())
            self.hub.leaving.add(leaving)
            leaving.add_done_callback(self.hub.leaving.discard)

    async def _read(self) -> None:
        layer = self.hub.layer
        delay = RETRY_FIRST_SECONDS
        self.channel = await layer.new_channel(prefix="fanout")  # a process-local name: no I/O
        while True:
            try:
                if not self.joined:
                    await layer.group_add(self.name, self.channel)
                    self.joined = True
                    self.tried.set()
                message = await layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                if asyncio.current_task().cancelling():
                    # Cancelled inside a layer call that turned the cancellation into another error (the loop
                    # closing, say): stop, or the loop would wait for ever.
                    raise asyncio.CancelledError from None
                logger.warning("live feed subscription failed; retrying", extra={"group": self.name}, exc_info=True)
                self.joined = False
                self.tried.set()  # sockets may connect meanwhile: their clients resync on the gap
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)
                continue
            delay = RETRY_FIRST_SECONDS
            if message.get("type") == MESSAGE_TYPE:
                await self._fan_out({"type": "websocket.send", "text": message["text"]})

    async def _fan_out(self, message: dict) -> None:
        """One dict for every socket: the ASGI server only reads it."""
        for subscriber in list(self.subscribers):
            try:
                await subscriber.deliver(message)
            except Exception:  # a socket the server cannot write to any more: drop it, not the others
                logger.debug("live feed socket dropped", exc_info=True)
                self.remove(subscriber)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(self.hub.renew_seconds)
            if not self.joined:
                continue
            try:
                await self.hub.layer.group_add(self.name, self.channel)
            except Exception:
                logger.warning("live feed subscription not renewed", extra={"group": self.name}, exc_info=True)

    async def _leave(self) -> None:
        """Stop reading, then take the channel out of the group (even when not joined: a cancelled or failed
        group_add may still have reached the layer, so the reader must stop first).

        A cancellation can be lost: redis-py sends each command inside asyncio.wait_for, which on Python 3.11
        returns normally when the send completes as the cancellation lands (fixed in 3.12). The reader would then
        sit in its blocking read, and the channel in the group, for the socket timeout or longer: cancel again
        until the reader stops."""
        self.renewer.cancel()
        closing = False
        while not self.reader.done():
            self.reader.cancel()
            try:
                await asyncio.wait([self.reader], timeout=CANCEL_AGAIN_SECONDS)
            except asyncio.CancelledError:  # the loop is closing: still stop the reader, or the loop waits for it
                closing = True
        if self.channel is not None and not closing:  # None: the reader never ran, so never joined
            await self._discard()
        if closing:
            raise asyncio.CancelledError

    async def _discard(self) -> None:
        """Bounded: a layer that hangs (Redis gone mid-call) must not keep a server's shutdown waiting."""
        try:
            await asyncio.wait_for(self.hub.layer.group_discard(self.name, self.channel), DISCARD_TIMEOUT_SECONDS)
        except Exception:  # the membership expires on its own
            logger.warning("live feed channel not discarded", extra={"group": self.name}, exc_info=True)


class Hub:
    """The groups one event loop subscribes to, for one channel layer."""

    def __init__(self, layer: BaseChannelLayer, renew_seconds: float | None = None):
        self.layer = layer
        self.renew_seconds = renew_seconds or min(RENEW_SECONDS, getattr(layer, "group_expiry", 86400) / 4)
        self.groups: dict[str, _Group] = {}
        self.leaving: set[asyncio.Future] = set()  # groups being left (held here so they are not collected)

    async def subscribe(self, group: str, send: Send) -> Subscriber:
        """Join `group` with an ASGI send callable. Returns once the process is a member of the group (or its
        first attempt failed), so a sequence number read afterwards covers every message the socket misses."""
        state = self.groups.get(group)
        if state is None:
            state = self.groups[group] = _Group(self, group)
        subscriber = Subscriber(state, send)
        state.subscribers[subscriber] = None
        if not state.tried.is_set():
            try:
                await state.tried.wait()
            except BaseException:
                subscriber.close()
                raise
        return subscriber

    async def close(self) -> None:
        """Leave every group, as the last socket out of each would, and wait until they are left: for a loop that
        is about to close. Closing the loop instead would cancel each reader once, and a reader whose cancellation
        redis-py loses (see _Group._leave) would keep the loop from closing."""
        for group in list(self.groups.values()):
            for subscriber in list(group.subscribers):
                group.remove(subscriber)
        await asyncio.gather(*self.leaving)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The running event loop's hub on the default channel layer (a new one if the layer was reconfigured)."""
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    current = _hubs.get(loop)
    if current is None or current.layer is not layer:
        current = _hubs[loop] = Hub(layer)
    return current


async def subscribe(group: str, send: Send) -> Subscriber:
    return await hub().subscribe(group, send)
