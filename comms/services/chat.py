"""The portal chat: a client and the business write to each other live in the client's one thread (the same
conversation as their e-mails and texts, comms/services/threads.py), and each side's unread messages are counted.

A chat message is a Message in the `chat` channel: received (`in`) when the client writes, sent (`out`) when staff
do. The client's messages are triaged and drafted like any inbound message and wait for a reply in the inbox; a
staff message answers them. After each change commits, both sides' pages hear of it (comms/services/chat_feed.py)
and, for a new message, the notice check is planned (comms/services/chat_notices.py)."""

import zoneinfo
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import dateformat, timezone

from accounts.models import BusinessProfile, User
from comms.models import ChatSide, Direction, Message, MessageChannel, ReplyStatus, TriageStatus
from comms.services.chat_feed import chat_send_on_commit
from comms.services.chat_notices import chat_notice_plan
from comms.services.threads import client_conversation_get_or_create, direction_to, thread_messages, unread_messages
from djbiz.errors import DomainError
from djbiz.ratelimit import window_hit, window_start
from events.models import Client

THREAD_LIMIT = 200  # messages on the page; older ones stay in the admin
RELAYED_CHARS = 2000  # of an e-mail or text shown in the thread (the whole of it is in the inbox and the admin)
RATE_WINDOW_SECONDS = 60


class ChatError(DomainError):
    code = "chat"


class ChatRateLimited(ChatError):
    http_status = 429
    code = "throttled"


@dataclass(frozen=True)
class ChatLine:
    """A message as both sides' pages show it, and as the live group carries it: nothing staff-only."""

    id: int
    direction: str
    channel: str
    channel_label: str
    name: str
    subject: str
    body: str
    at: str  # ISO 8601
    time: str  # "12 Jun, 14:05" in the business's time zone
    read: bool


def side_of(user: User) -> str:
    return ChatSide.STAFF if user.is_business else ChatSide.CLIENT


def chat_client_for(user: User) -> Client | None:
    """The client whose portal this user logs in to; None for staff and anyone else."""
    if not user.is_authenticated or not user.is_active or user.is_business:
        return None
    return Client.objects.filter(user=user).first()


# --- reading --------------------------------------------------------------------------------------------------


def chat_unread_count(*, client: Client, side: str) -> int:
    return unread_messages(client=client, side=side).count()


def chat_unread_for_staff() -> int:
    """Messages from clients that no staff member has read yet, over every client's thread."""
    return Message.objects.filter(conversation__client__isnull=False, direction=Direction.IN, read_at=None).count()


def chat_thread(*, client: Client, after_id: int = 0, limit: int = THREAD_LIMIT) -> list[ChatLine]:
    """The client's thread, oldest first: the latest `limit` messages, or those after message `after_id` (what a
    page that reconnects missed)."""
    messages = thread_messages(client=client).filter(pk__gt=after_id).order_by("-received_at", "-pk")[:limit]
    names = _Names(client)
    return [_line(message, names) for message in reversed(messages)]


class _Names:
    """Who a line is from: the client by name; the business's messages by the staff member's first name, or the
    business's name for messages no person signed (e-mail replies from the inbox)."""

    def __init__(self, client: Client):
        business = BusinessProfile.current()
        self.client = client.name
        self.business = business.name
        self.zone = zoneinfo.ZoneInfo(business.time_zone)


def _line(message: Message, names: _Names) -> ChatLine:
    at = message.received_at
    body = message.body
    if message.channel != MessageChannel.CHAT and len(body) > RELAYED_CHARS:  # a long e-mail: its start
        body = body[:RELAYED_CHARS].rstrip() + "…"
    return ChatLine(
        id=message.pk,
        direction=message.direction,
        channel=message.channel,
        channel_label=message.get_channel_display(),
        name=names.client if message.direction == Direction.IN else (message.sender_name or names.business),
        subject=message.subject,
        body=body,
        at=at.isoformat(),
        time=dateformat.format(timezone.localtime(at, names.zone), "j M, H:i"),
        read=message.read_at is not None,
    )


# --- writing --------------------------------------------------------------------------------------------------


def _clean(body: str) -> str:
    """Plain text: one kind of line end; control characters other than line ends and tabs dropped."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in body if ch in "\n\t" or ch.isprintable()).strip()


def _count_send(user: User) -> None:
    start = window_start(RATE_WINDOW_SECONDS)
    if window_hit(f"chat-send:{user.pk}:{start}", window=RATE_WINDOW_SECONDS) > settings.CHAT_RATE_PER_MINUTE:
        raise ChatRateLimited("You are sending messages too fast. Wait a minute, then try again.")


def chat_post(*, client: Client, author: User, body: str) -> Message:
    """`author` (the client's own login, or an owner or staff DJ) writes `body` in the client's thread. Raises
    ChatError for an empty or too long text or an author who may not write here, ChatRateLimited past
    CHAT_RATE_PER_MINUTE. A staff message answers the client's open messages (whatever their channel); the
    author's side has read the thread up to their own message."""
    side = side_of(author)
    if not author.is_active or (side == ChatSide.CLIENT and client.user_id != author.pk):
        raise ChatError("You can only write in your own conversation.")
    if client.user_id is None:
        raise ChatError("This client has no portal login yet: answer by e-mail or text from the inbox.")
    body = _clean(body)
    if not body:
        raise ChatError("Write a message first.", field="body")
    if len(body) > settings.CHAT_MAX_LENGTH:
        raise ChatError(
            f"That message is {len(body):,} characters long; the limit is {settings.CHAT_MAX_LENGTH:,}.", field="body"
        )
    _count_send(author)
    now = timezone.now()
    from_client = side == ChatSide.CLIENT
    with transaction.atomic():
        conversation = client_conversation_get_or_create(client=client)
        message = Message.objects.create(
            conversation=conversation,
            direction=Direction.IN if from_client else Direction.OUT,
            channel=MessageChannel.CHAT,
            sender=author.email,
            sender_name=(client.name if from_client else author.get_short_name())[:150],
            body=body,
            received_at=now,
            triage_status=TriageStatus.NEW if from_client else TriageStatus.NONE,
            reply_status=ReplyStatus.OPEN if from_client else ReplyStatus.NONE,
        )
        if not from_client:
            thread_messages(client=client).filter(direction=Direction.IN, reply_status=ReplyStatus.OPEN).update(
                reply_status=ReplyStatus.REPLIED
            )
        conversation.last_message_at = now
        conversation.save(update_fields=["last_message_at"])
        chat_mark_read(client=client, side=side, up_to=message.pk)
        chat_message_announce(message=message)
    return message


def chat_message_announce(*, message: Message) -> None:
    """A message written in the chat (chat_post's, and the inbox's reply to a chat message): after commit, to both
    sides' pages, and the notice check for the side it was sent to. Call inside the transaction that stores it."""
    chat_message_broadcast(message=message)
    # robust: the message is stored whatever happens here; a failure is logged, not turned into an error page.
    transaction.on_commit(lambda: chat_notice_plan(message_id=message.pk), robust=True)


def chat_message_broadcast(*, message: Message) -> None:
    """After commit, a new message of a client's thread, whatever its channel, to both sides' open pages, with each
    side's unread count. Call inside the transaction that stores it."""
    client = message.conversation.client
    line = _line(message, _Names(client))
    unread = {side: chat_unread_count(client=client, side=side) for side in ChatSide.values}
    chat_send_on_commit(client_id=client.pk, payload={"type": "message", "message": asdict(line), "unread": unread})


def chat_mark_read(*, client: Client, side: str, up_to: int) -> int:
    """`side` has read the client's thread up to message `up_to` (the latest its page shows). Returns how many
    messages this marked; after commit, both sides' pages hear of it (the other side's shows them as seen)."""
    marked = (
        thread_messages(client=client)
        .filter(direction=direction_to(side), read_at=None, pk__lte=up_to)
        .update(read_at=timezone.now())
    )
    if marked:
        unread = chat_unread_count(client=client, side=side)
        chat_send_on_commit(
            client_id=client.pk, payload={"type": "read", "side": side, "up_to": up_to, "unread": unread}
        )
    return marked
