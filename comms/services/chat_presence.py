"""Who has the chat open: a row per open socket (comms.models.ChatPresence) in the database, so that every web
process and the workers agree, on SQLite and PostgreSQL alike and whatever the cache. A socket refreshes its row
with each heartbeat; a row older than CHAT_PRESENCE_TTL_SECONDS (its process died) no longer counts."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comms.models import ChatPresence
from comms.services.chat_feed import chat_send_on_commit


def _fresh_since(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.CHAT_PRESENCE_TTL_SECONDS)


def side_online(*, client_id: int, side: str, now: datetime | None = None) -> bool:
    """Whether `side` has the client's chat open (on some device, in some process)."""
    since = _fresh_since(now or timezone.now())
    return ChatPresence.objects.filter(client_id=client_id, side=side, seen_at__gte=since).exists()


def presence_join(*, client_id: int, side: str) -> uuid.UUID:
    """A socket of `side` opened on the client's chat; returns the connection's id for presence_touch/leave. Rows
    of sockets whose process died are cleared here. Both sides' pages hear that `side` is online."""
    now = timezone.now()
    with transaction.atomic():
        ChatPresence.objects.filter(client_id=client_id, seen_at__lt=_fresh_since(now)).delete()
        presence = ChatPresence.objects.create(client_id=client_id, side=side, seen_at=now)
        chat_send_on_commit(client_id=client_id, payload={"type": "presence", "side": side, "online": True})
    return presence.connection


def presence_touch(*, connection: uuid.UUID, client_id: int, side: str) -> None:
    """The socket's heartbeat. A row cleared meanwhile (the socket was silent too long) comes back."""
    now = timezone.now()
    if not ChatPresence.objects.filter(connection=connection).update(seen_at=now):
        ChatPresence.objects.get_or_create(
            connection=connection, defaults={"client_id": client_id, "side": side, "seen_at": now}
        )


def presence_leave(*, connection: uuid.UUID) -> None:
    """The socket closed: both sides' pages hear whether its side is still online elsewhere."""
    with transaction.atomic():
        presence = ChatPresence.objects.filter(connection=connection).first()
        if presence is None:
            return
        presence.delete()
        online = side_online(client_id=presence.client_id, side=presence.side)
        chat_send_on_commit(
            client_id=presence.client_id, payload={"type": "presence", "side": presence.side, "online": online}
        )
