"""One thread per client: every message with a client, whatever its channel (e-mail, SMS, the portal chat), joins
the client's conversation. A conversation is made with the client's first message and tied to their next event.

Unread: `read_at` on a message says when the side it was sent to read it (staff: a received message; the client:
a sent one, in the portal chat)."""

from django.db.models import QuerySet
from django.utils import timezone

from comms.models import ChatSide, Conversation, Direction, Message, MessageChannel
from events.models import Client
from events.status import EventStatus


def client_conversation(*, client: Client) -> Conversation | None:
    """The client's thread, None before their first message."""
    return Conversation.objects.filter(client=client).order_by("-last_message_at", "-pk").first()


def client_conversation_get_or_create(*, client: Client) -> Conversation:
    """The client's thread, made now (for the message being stored) when there is none. Call inside the
    transaction that stores the message."""
    conversation = client_conversation(client=client)
    if conversation is None:
        upcoming = (
            client.events.exclude(status=EventStatus.CANCELLED)
            .filter(date__gte=timezone.localdate())
            .order_by("date")
            .first()
        )
        conversation = Conversation.objects.create(client=client, event=upcoming)
    return conversation


def thread_messages(*, client: Client) -> QuerySet[Message]:
    return Message.objects.filter(conversation__client=client)


def direction_to(side: str) -> str:
    """The direction of the messages `side` receives."""
    return Direction.OUT if side == ChatSide.CLIENT else Direction.IN


def unread_messages(*, client: Client, side: str) -> QuerySet[Message]:
    """What `side` has not read in the client's thread. The client reads in the chat only what came by chat:
    e-mails and texts reached them where they were sent."""
    unread = thread_messages(client=client).filter(direction=direction_to(side), read_at=None)
    return unread.filter(channel=MessageChannel.CHAT) if side == ChatSide.CLIENT else unread
