"""The staff inbox: threads awaiting a reply first (most urgent, then longest waiting), and the two things staff
do with an inbound message: send the (edited) draft through the outbox, in the channel it came in, or dismiss
it. A reply answers every earlier open message of the thread. Double clicks and two staff members at once send
one reply: the message moves from `open` first, in the same transaction as the queueing."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from accounts.models import User
from comms.models import (
    ChatSide,
    Conversation,
    Direction,
    Lead,
    LeadStatus,
    Message,
    MessageChannel,
    ReplyStatus,
    TriageStatus,
)
from comms.services.chat import chat_mark_read, chat_message_announce, chat_message_broadcast
from comms.services.outbox import message_queue
from djbiz.errors import ConflictError, DomainError

URGENCY_RANK = {"high": 0, "normal": 1, "low": 2, "": 1}
RECENT_MESSAGES = 6  # per thread on the page


class InboxError(DomainError):
    code = "inbox"


@dataclass
class Thread:
    conversation: Conversation
    messages: list[Message]  # shown: the latest few and every open one, oldest first
    open: list[Message] = field(default_factory=list)  # inbound, awaiting a reply
    unread: int = 0  # a client's messages no staff member has read (read on the client's chat page)

    @property
    def urgency(self) -> str:
        return min((m.urgency for m in self.open), key=lambda u: URGENCY_RANK.get(u, 1), default="")

    @property
    def waiting_since(self) -> datetime | None:
        return min((m.received_at for m in self.open), default=None)


def inbox_threads(*, limit: int = 50) -> list[Thread]:
    """Every thread with messages awaiting a reply (most urgent first, then the longest waiting), then the most
    recently active others, up to `limit` threads in all."""
    base = Conversation.objects.select_related("client", "lead", "event").prefetch_related(
        Prefetch("messages", queryset=Message.objects.prefetch_related("attachments").order_by("received_at"))
    )
    awaiting = Q(messages__direction=Direction.IN, messages__reply_status=ReplyStatus.OPEN)
    waiting_ids = set(Conversation.objects.filter(awaiting).values_list("pk", flat=True))
    recent = base.exclude(pk__in=waiting_ids).order_by("-last_message_at")[: max(limit - len(waiting_ids), 0)]
    threads = []
    for conversation in [*base.filter(pk__in=waiting_ids), *recent]:
        messages = list(conversation.messages.all())
        open_ = [m for m in messages if m.direction == Direction.IN and m.reply_status == ReplyStatus.OPEN]
        latest = len(messages) - RECENT_MESSAGES  # the latest few, and any older one still awaiting a reply
        shown = [m for index, m in enumerate(messages) if index >= latest or m in open_]
        unread = sum(1 for m in messages if m.direction == Direction.IN and m.read_at is None)
        threads.append(
            Thread(
                conversation=conversation,
                messages=shown,
                open=open_,
                unread=unread if conversation.client_id else 0,
            )
        )
    waiting = sorted((t for t in threads if t.open), key=lambda t: (URGENCY_RANK.get(t.urgency, 1), t.waiting_since))
    return waiting + [t for t in threads if not t.open]


def _our_address(channel: str, actor: User | None) -> str:
    if channel == MessageChannel.CHAT:
        return actor.email if actor else "business"
    return settings.DEFAULT_FROM_EMAIL if channel == MessageChannel.EMAIL else settings.TWILIO_FROM or "business"


def reply_send(*, message_id: int, body: str, subject: str = "", actor: User | None = None) -> Message:
    """Queue `body` (the draft as staff edited it) to the sender of inbound message `message_id`, in its channel,
    and record it in the thread; a chat message is answered in the chat (signed by `actor`, the staff member
    sending). Staff have read the thread up to that message. Raises ConflictError when the message was answered or
    dismissed already, and OutboxError (a DomainError) for an empty text or an unusable address; nothing is stored
    then."""
    body = body.strip()
    if not body:
        raise InboxError("The reply is empty.", field="body")
    now = timezone.now()
    with transaction.atomic():
        inbound = Message.objects.select_related("conversation__client", "conversation__event", "conversation__lead")
        inbound = inbound.select_for_update(of=("self",)).filter(pk=message_id, direction=Direction.IN).first()
        if inbound is None:
            raise InboxError("No such message.")
        if inbound.reply_status != ReplyStatus.OPEN:
            raise ConflictError(f"This message was {inbound.get_reply_status_display().lower()} already.")
        conversation = inbound.conversation
        subject = subject.strip() or _reply_subject(inbound.subject)
        outbox = None
        if inbound.channel in (MessageChannel.EMAIL, MessageChannel.SMS):
            outbox = message_queue(
                channel=inbound.channel,
                to=inbound.sender,
                body=body,
                subject=subject if inbound.channel == MessageChannel.EMAIL else "",
                client=conversation.client,
                event=conversation.event,
                headers=(
                    {"In-Reply-To": inbound.message_id_header, "References": inbound.message_id_header}
                    if inbound.message_id_header
                    else None
                ),
                template="comms/inbox_reply",
                context={"in_reply_to": inbound.pk},
                idempotency_key=f"inbox-reply:{inbound.pk}",
            )
        reply = Message.objects.create(
            conversation=conversation,
            direction=Direction.OUT,
            channel=inbound.channel,
            sender=_our_address(inbound.channel, actor),
            sender_name=actor.get_short_name() if actor and inbound.channel == MessageChannel.CHAT else "",
            subject=subject if inbound.channel == MessageChannel.EMAIL else "",
            body=body,
            received_at=now,
            outbox=outbox,
            in_reply_to=inbound,
            triage_status=TriageStatus.NONE,
            reply_status=ReplyStatus.NONE,
        )
        conversation.messages.filter(
            direction=Direction.IN, reply_status=ReplyStatus.OPEN, received_at__lte=inbound.received_at
        ).update(reply_status=ReplyStatus.REPLIED)
        Message.objects.filter(pk=inbound.pk).update(reply_status=ReplyStatus.REPLIED)
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        if conversation.lead is not None and conversation.lead.status == LeadStatus.NEW:
            Lead.objects.filter(pk=conversation.lead.pk).update(status=LeadStatus.CONTACTED)
        if conversation.client is not None:
            chat_mark_read(client=conversation.client, side=ChatSide.STAFF, up_to=inbound.pk)
        if reply.channel == MessageChannel.CHAT:
            chat_message_announce(message=reply)
        elif conversation.client is not None:
            chat_message_broadcast(message=reply)
    return reply


def reply_dismiss(*, message_id: int) -> bool:
    """No reply needed (a 'thanks!', spam); staff have read it. False when it was not awaiting one."""
    updated = Message.objects.filter(pk=message_id, direction=Direction.IN, reply_status=ReplyStatus.OPEN).update(
        reply_status=ReplyStatus.DISMISSED, read_at=Coalesce("read_at", Now())
    )
    return bool(updated)


def _reply_subject(subject: str) -> str:
    subject = subject.strip() or "Your message"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"
