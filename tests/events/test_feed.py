import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from events import feed
from events.models import LiveNight


def _receive(channel: str, count: int = 1) -> list[dict]:
    """The next `count` feed messages of a channel, decoded (received in one event loop, as a consumer does)."""

    async def collect():
        layer = get_channel_layer()
        return [json.loads((await layer.receive(channel))["text"]) for _ in range(count)]

    return async_to_sync(collect)()


@pytest.mark.django_db(transaction=True)
def test_a_change_is_numbered_and_sent_after_commit(event_a):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(feed.group_name(event_a.pk), channel)
    with transaction.atomic():
        first = feed.publish(event=event_a, kind="announcement", data={"text": "Last call at the bar"})
        second = feed.publish(event=event_a, kind="now_playing", data={"request": None})
    assert (first, second) == (1, 2)
    assert _receive(channel, 2) == [
        {"seq": 1, "kind": "announcement", "data": {"text": "Last call at the bar"}},
        {"seq": 2, "kind": "now_playing", "data": {"request": None}},
    ]
    assert LiveNight.objects.get(event=event_a).sequence == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing(event_a):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(feed.group_name(event_a.pk), channel)
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
        feed.publish(event=event_a, kind="announcement", data={"text": "never"})
        raise RuntimeError("boom")
    with transaction.atomic():
        feed.publish(event=event_a, kind="announcement", data={"text": "kept"})
    assert _receive(channel)[0]["data"] == {"text": "kept"}


@pytest.mark.django_db(transaction=True)
def test_publishing_outside_a_transaction_is_a_bug(event_a):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        feed.publish(event=event_a, kind="announcement", data={})
