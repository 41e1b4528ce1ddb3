"""The live feeds' fan-out hub (events/fanout.py): one channel-layer subscription per event per process, shared
by every local socket, ended by the last one out, kept alive and recovered after layer errors. Runs on the
configured layer: in memory by default, channels-redis when REDIS_URL is set (each test on a prefix of its own)."""

import asyncio
import json
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.testing import WebsocketCommunicator
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django.db import transaction
from django.test import Client

from djbiz.asgi import application
from events import fanout, feed
from tests.live.async_run import run

OURS = (b"origin", b"http://testserver")

pytestmark = pytest.mark.django_db(transaction=True)


class FlakyMixin:
    """A real layer that fails the next `failures` calls of the kinds listed in `failing`, as a Redis blip does."""

    failures = 0
    failing = ("receive",)

    def _maybe_fail(self, call: str) -> None:
        if call in self.failing and self.failures:
            self.failures -= 1
            raise ConnectionError(f"layer down ({call})")

    async def receive(self, channel):
        self._maybe_fail("receive")
        return await super().receive(channel)

    async def group_add(self, group, channel):
        self._maybe_fail("group_add")
        return await super().group_add(group, channel)


class DeafMixin:
    """A real layer whose receive loses the first cancellation, as redis-py's command send does on Python 3.11
    (asyncio.wait_for returns normally when the send completes as the cancellation lands)."""

    cancellations_lost = 0

    async def receive(self, channel):
        try:
            return await super().receive(channel)
        except asyncio.CancelledError:
            if self.cancellations_lost:
                raise
            self.cancellations_lost += 1
            return await super().receive(channel)


class DeafInMemoryLayer(DeafMixin, InMemoryChannelLayer):
    pass


class DeafRedisLayer(DeafMixin, RedisChannelLayer):
    pass


class FlakyInMemoryLayer(FlakyMixin, InMemoryChannelLayer):
    pass


class FlakyRedisLayer(FlakyMixin, RedisChannelLayer):
    pass


TESTING_LAYERS = {
    "flaky": {InMemoryChannelLayer: FlakyInMemoryLayer, RedisChannelLayer: FlakyRedisLayer},
    "deaf": {InMemoryChannelLayer: DeafInMemoryLayer, RedisChannelLayer: DeafRedisLayer},
}


@pytest.fixture
def layer_settings(settings):
    """layer_settings(kind=None): the configured layer on a prefix of its own, or its "flaky" or "deaf" variant;
    flushed afterwards."""
    configured = settings.CHANNEL_LAYERS["default"]

    def configure(kind: str | None = None):
        config = {**configured, "CONFIG": {**configured.get("CONFIG", {})}}
        if "RedisChannelLayer" in config["BACKEND"]:
            config["CONFIG"]["prefix"] = f"test-fanout-{uuid.uuid4().hex[:8]}"
        if kind:
            base = RedisChannelLayer if "RedisChannelLayer" in config["BACKEND"] else InMemoryChannelLayer
            config["BACKEND"] = f"{__name__}.{TESTING_LAYERS[kind][base].__name__}"
        settings.CHANNEL_LAYERS = {"default": config}
        return get_channel_layer()

    yield configure
    async_to_sync(get_channel_layer().flush)()


@pytest.fixture
def layer(layer_settings):
    return layer_settings()


async def _members(layer, group: str) -> int:
    """How many channels the layer has in the group (each process's hub should have one)."""
    if isinstance(layer, InMemoryChannelLayer):
        return len(layer.groups.get(group, {}))
    return await layer.connection(0).zcard(layer._group_key(group))


async def _eventually(check, timeout: float = 5.0) -> None:
    """Wait until `await check()` is true (the hub ends a subscription in a task of its own)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


@database_sync_to_async
def _publish(event, kind: str = "announcement", data: dict | None = None) -> int:
    with transaction.atomic():
        return feed.publish(event=event, kind=kind, data=data or {"text": "Cake at ten"})


@database_sync_to_async
def _session_cookie(user) -> tuple[bytes, bytes]:
    browser = Client()
    browser.force_login(user)
    return (b"cookie", f"sessionid={browser.cookies['sessionid'].value}".encode())


async def _guest(event, *headers) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, f"/ws/events/{event.slug}/", headers=[OURS, *headers])
    connected, _ = await socket.connect()
    assert connected
    assert json.loads(await socket.receive_from())["kind"] == "hello"
    return socket


async def _seq(socket: WebsocketCommunicator, timeout: float = 3.0) -> int:
    return json.loads(await socket.receive_from(timeout=timeout))["seq"]


def _group(event) -> str:
    return feed.group_name(event.pk)


@run
async def test_two_guests_share_one_subscription_and_both_get_each_message(layer, event_a):
    first, second = await _guest(event_a), await _guest(event_a)
    assert await _members(layer, _group(event_a)) == 1

    seq = await _publish(event_a)

    assert await _seq(first) == seq
    assert await _seq(second) == seq
    assert await first.receive_nothing() and await second.receive_nothing()  # once each
    await first.disconnect()
    await second.disconnect()


@run
async def test_a_console_and_a_guest_get_the_same_messages_through_one_subscription(layer, event_a, staff_dj):
    console = WebsocketCommunicator(
        application, f"/ws/events/{event_a.slug}/console/", headers=[OURS, await _session_cookie(staff_dj)]
    )
    assert (await console.connect())[0]
    assert json.loads(await console.receive_from()) == {"kind": "hello", "seq": 0}
    guest = await _guest(event_a)
    assert await _members(layer, _group(event_a)) == 1

    seq = await _publish(event_a, "now_playing", {"request": None})

    assert await _seq(console) == seq
    assert await _seq(guest) == seq
    await console.disconnect()
    await guest.disconnect()


@run
async def test_events_have_separate_subscriptions(layer, event_a, event_b):
    guest_a, guest_b = await _guest(event_a), await _guest(event_b)
    await _publish(event_b)
    assert await _seq(guest_b) == 1
    assert await guest_a.receive_nothing()
    await guest_a.disconnect()
    await guest_b.disconnect()


@run
async def test_the_last_socket_out_ends_the_subscription(layer, event_a):
    group = _group(event_a)
    first, second = await _guest(event_a), await _guest(event_a)

    await first.disconnect()
    assert await _members(layer, group) == 1
    seq = await _publish(event_a)
    assert await _seq(second) == seq

    await second.disconnect()

    async def ended():
        return await _members(layer, group) == 0 and group not in fanout.hub().groups

    await _eventually(ended)
    # A socket arriving afterwards subscribes anew.
    third = await _guest(event_a)
    assert await _members(layer, group) == 1
    seq = await _publish(event_a)
    assert await _seq(third) == seq
    await third.disconnect()


@run
async def test_the_last_socket_out_ends_the_subscription_even_if_a_cancellation_is_lost(layer_settings, event_a):
    layer = layer_settings("deaf")
    group = _group(event_a)
    guest = await _guest(event_a)

    await guest.disconnect()

    async def ended():
        readers = [task for task in asyncio.all_tasks() if task.get_name() == f"fanout {group}"]
        return await _members(layer, group) == 0 and not readers

    await _eventually(ended, timeout=3.0)
    assert layer.cancellations_lost == 1


@run
async def test_closing_the_hub_leaves_groups_whose_sockets_never_left(layer_settings, event_a):
    """A loop about to close (a server stopping, a test ending) leaves every group first: the loop's own shutdown
    cancels each reader once, and a reader whose cancellation is lost would keep it from closing."""
    layer = layer_settings("deaf")
    group = _group(event_a)
    await _guest(event_a)  # never disconnects
    assert await _members(layer, group) == 1

    await asyncio.wait_for(fanout.hub().close(), timeout=5.0)

    assert fanout.hub().groups == {} and await _members(layer, group) == 0
    assert not [task for task in asyncio.all_tasks() if task.get_name() == f"fanout {group}"]
    assert layer.cancellations_lost == 1


@run
async def test_a_late_guest_hello_has_the_sequence_of_the_last_change(layer, event_a):
    first = await _guest(event_a)
    seq = await _publish(event_a)
    assert await _seq(first) == seq

    late = WebsocketCommunicator(application, f"/ws/events/{event_a.slug}/", headers=[OURS])
    assert (await late.connect())[0]
    assert json.loads(await late.receive_from()) == {"kind": "hello", "seq": seq}
    seq = await _publish(event_a)
    assert await _seq(late) == seq
    await first.disconnect()
    await late.disconnect()


@run
async def test_messages_arriving_while_a_socket_connects_follow_its_hello(layer):
    """Between joining and its hello (the sequence number is read from the database meanwhile) a socket's
    messages are held, then sent in order after the hello."""
    hub, sent = fanout.Hub(layer), []

    async def send(message):
        sent.append(message["text"])

    subscriber = await hub.subscribe("event-held", send)
    await layer.group_send("event-held", {"type": feed.MESSAGE_TYPE, "text": "one"})
    await layer.group_send("event-held", {"type": feed.MESSAGE_TYPE, "text": "two"})
    await asyncio.sleep(0.3)
    assert sent == []

    sent.append("hello")
    await subscriber.open()
    await layer.group_send("event-held", {"type": feed.MESSAGE_TYPE, "text": "three"})

    async def all_sent():
        return len(sent) == 4

    await _eventually(all_sent)
    assert sent == ["hello", "one", "two", "three"]
    subscriber.close()


@run
async def test_the_reader_recovers_from_a_layer_error(layer_settings, event_a):
    layer = layer_settings("flaky")
    layer.failures = 1  # the reader's first receive fails
    guest = await _guest(event_a)

    seq = await _publish(event_a)

    assert await _seq(guest, timeout=5) == seq  # read again after the backoff
    assert layer.failures == 0
    assert await _members(layer, _group(event_a)) == 1
    await guest.disconnect()


@run
async def test_a_guest_connecting_while_the_layer_is_down_gets_its_hello_then_the_feed(layer_settings, event_a):
    layer = layer_settings("flaky")
    layer.failing, layer.failures = ("group_add",), 1
    guest = await _guest(event_a)  # not held up by the failed join
    assert layer.failures == 0

    async def joined():
        return await _members(layer, _group(event_a)) == 1

    await _eventually(joined)
    seq = await _publish(event_a)
    assert await _seq(guest) == seq
    await guest.disconnect()


@run
async def test_the_hub_renews_a_membership_the_layer_lost(layer):
    """A layer can lose groups (channels-redis expires members; a Redis restarted empty has none)."""
    hub, sent = fanout.Hub(layer, renew_seconds=0.1), []

    async def send(message):
        sent.append(message["text"])

    subscriber = await hub.subscribe("event-renewed", send)
    await subscriber.open()
    await layer.group_discard("event-renewed", hub.groups["event-renewed"].channel)
    assert await _members(layer, "event-renewed") == 0

    async def renewed():
        return await _members(layer, "event-renewed") == 1

    await _eventually(renewed)
    await layer.group_send("event-renewed", {"type": feed.MESSAGE_TYPE, "text": "back"})

    async def received():
        return sent == ["back"]

    await _eventually(received)
    subscriber.close()


@run
async def test_a_socket_that_cannot_be_written_to_is_dropped_and_the_others_still_get_messages(layer):
    hub, sent = fanout.Hub(layer), []

    async def broken(message):
        raise RuntimeError("socket gone")

    async def send(message):
        sent.append(message["text"])

    for callable_ in (broken, send):
        subscriber = await hub.subscribe("event-broken", callable_)
        await subscriber.open()
    await layer.group_send("event-broken", {"type": feed.MESSAGE_TYPE, "text": "still here"})

    async def received():
        return sent == ["still here"]

    await _eventually(received)
    assert len(hub.groups["event-broken"].subscribers) == 1
    subscriber.close()


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
@run
async def test_a_redis_connection_killed_under_the_reader_does_not_stop_the_feed(layer, event_a):
    """A real blip: Redis drops the connection the reader is blocked on (BZPOPMIN); the feed goes on."""
    guest = await _guest(event_a)
    redis = layer.connection(0)
    database = redis.connection_pool.connection_kwargs.get("db", 0)
    killed = 0
    for _ in range(50):  # until the reader is blocked waiting for a message (channels-redis 4.3: BZPOPMIN)
        for client in await redis.client_list():
            if client.get("cmd") in {"bzpopmin", "brpop"} and int(client.get("db", -1)) == int(database):
                killed += await redis.client_kill_filter(_id=client["id"])
        if killed:
            break
        await asyncio.sleep(0.1)
    assert killed >= 1

    seq = await _publish(event_a)

    assert await _seq(guest, timeout=10) == seq
    await guest.disconnect()
