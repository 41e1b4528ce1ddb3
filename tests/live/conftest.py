"""Helpers of the live-night request tests: a night with requests open, guest API clients, feed listening."""

import json
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from rest_framework.test import APIClient

from events import feed
from events.guests import sign_guest_id
from tests.factories import LiveNightFactory


@pytest.fixture
def live_night(event_a):
    """event_a (two months ahead) with requests open, 3 per guest and no cooldown."""
    return LiveNightFactory(event=event_a)


@pytest.fixture
def guest_api():
    """guest_api(guest_id=None) -> an APIClient that names its guest in X-Guest-Id, as the app does."""

    def make(guest_id: uuid.UUID | None = None) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_X_GUEST_ID=sign_guest_id(guest_id or uuid.uuid4()))
        return api

    return make


@pytest.fixture
def feed_listener():
    """feed_listener(event) -> receive(count): the next `count` feed messages of the event, decoded. Received in
    one event loop, as a consumer does (channels-redis binds its connections to the loop)."""

    def listen(event):
        layer = get_channel_layer()
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(feed.group_name(event.pk), channel)

        def receive(count: int) -> list[dict]:
            async def collect():
                return [json.loads((await layer.receive(channel))["text"]) for _ in range(count)]

            return async_to_sync(collect)()

        return receive

    return listen
