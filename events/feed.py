"""The live feed of an event: one Channels group per event, one numbered message per change.

`publish()` runs inside the transaction that makes the change: it bumps the event's sequence number there
(so numbers follow commit order) and sends the message after the commit. The message is encoded to JSON
once, here; consumers forward the text as it is. The feed is a hint and the database the truth: if the
channel layer is down the change still commits, and clients that notice a gap in the numbers fetch a
snapshot (ARCHITECTURE.md, live feeds)."""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from events.models import Event, LiveNight

logger = logging.getLogger(__name__)

# The `type` consumers handle (FeedConsumer.feed_message) and the kinds of change a message reports.
MESSAGE_TYPE = "feed.message"
KINDS = frozenset(
    {
        "request",  # a new request, or one whose votes, status or bids changed
        "now_playing",
        "settings",  # requests or bidding opened or closed, limits changed
        "announcement",
        "round",  # a round opened, its leader changed, or it closed (with the winner)
        "bid",  # a bid was placed (carries the guest id so that an outbid guest's page can tell them)
    }
)


def group_name(event_id: int) -> str:
    return f"event-{event_id}"


def publish(*, event: Event, kind: str, data: dict) -> int:
    """Number this change and send it to the event's group once the transaction commits. Returns the
    sequence number. Must be called inside transaction.atomic()."""
    if kind not in KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("feed.publish() must run inside the transaction that makes the change")
    sequence = _next_sequence(event.pk)
    if sequence is None:  # the event's first live change makes its LiveNight row
        LiveNight.objects.get_or_create(event=event)
        sequence = _next_sequence(event.pk)
    text = json.dumps({"seq": sequence, "kind": kind, "data": data}, cls=DjangoJSONEncoder, separators=(",", ":"))
    transaction.on_commit(lambda: send_to_group(group_name(event.pk), text))
    return sequence


def _next_sequence(event_id: int) -> int | None:
    """Bump the event's sequence number and return it, in one UPDATE … RETURNING (PostgreSQL; SQLite from 3.35);
    None when the event has no LiveNight row yet. The update locks the row until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_livenight SET sequence = sequence + 1 WHERE event_id = %s RETURNING sequence", [event_id]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def send_to_group(group: str, text: str) -> None:
    """Hand an encoded message to the channel layer; a layer that is down loses the message, not the change."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": MESSAGE_TYPE, "text": text})
    except Exception:  # Redis down or over capacity: clients resynchronise from a snapshot
        logger.warning("live feed message not delivered", extra={"group": group}, exc_info=True)
