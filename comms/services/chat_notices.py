"""The chat's fallback: a message that the side it was sent to does not read in the chat brings them one notice
by e-mail (or SMS) with a link back to the thread.

When a chat message commits (chat_notice_plan), the other side either has the chat open (comms/services/
chat_presence.py), and is given CHAT_NOTIFY_AFTER_SECONDS to read it, or has not, and the check runs at once
(a django-q2 task either way). The check (chat_notice_send) queues a notice only for a message still unread then.

One notice per unread streak: the notice is keyed by the streak's first unread message (the outbox's idempotency
key), so the tasks of several messages sent before the recipient reads, and any task run twice, all come to one
notice. Once the recipient has read the thread, the next message starts a new streak. Notices are transactional
(like a reply), go through the outbox (SMS wait out the quiet hours there) and are never texted to a number that
sent STOP.

To the client: an e-mail to their address, or an SMS when their record has only a phone number (and it never
texted STOP), else an e-mail to their login's address. To the business: an e-mail to the lead DJ of the thread's
event, else the business's address, else the owner."""

import contextlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Case, IntegerField, Value, When
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from accounts.models import BusinessProfile, Role, User
from comms.models import Channel, ChatSide, Conversation, Direction, Message, MessageChannel, OutboxMessage
from comms.services.chat_presence import side_online
from comms.services.consent import opted_out
from comms.services.outbox import OutboxError, message_queue
from comms.services.templates import business_branding
from comms.services.threads import unread_messages
from events.models import Client, StaffAssignment

logger = logging.getLogger(__name__)
NOTICE_TASK = "comms.tasks.send_chat_notice"
PREVIEW_CHARS = 300
SWEEP_MARGIN = timedelta(minutes=2)  # the planned check runs first; the sweep only catches what was never planned


def _recipient_side(message: Message) -> str:
    return ChatSide.CLIENT if message.direction == Direction.OUT else ChatSide.STAFF


def _grace() -> timedelta:
    return timedelta(seconds=settings.CHAT_NOTIFY_AFTER_SECONDS)


def chat_notice_plan(*, message_id: int) -> None:
    """After a chat message commits: the notice check at once when the side it was sent to has no chat open,
    else when the grace period is over."""
    message = Message.objects.select_related("conversation").filter(pk=message_id).first()
    if message is None or message.conversation.client_id is None:
        return
    if side_online(client_id=message.conversation.client_id, side=_recipient_side(message)):
        _check_later(message)
    else:
        async_task(NOTICE_TASK, message.pk, group="chat")


def _check_later(message: Message) -> None:
    name = f"chat-notice-{message.pk}"
    if Schedule.objects.filter(name=name).exists():
        return
    with contextlib.suppress(IntegrityError):  # planned at the same moment elsewhere
        schedule(
            NOTICE_TASK,
            message.pk,
            name=name,
            schedule_type=Schedule.ONCE,
            repeats=-1,  # a ONCE schedule with negative repeats is deleted once it has run
            next_run=message.received_at + _grace(),
        )


def chat_notice_send(*, message_id: int, now: datetime | None = None) -> OutboxMessage | None:
    """The task's body, safe to run any number of times: queue the notice of chat message `message_id` if it is
    still unread and its recipient is away (or the grace period is over). Returns the notice (the one queued
    before, for a streak already noticed), None when none is due."""
    now = now or timezone.now()
    message = (
        Message.objects.select_related("conversation__client__user", "conversation__event")
        .filter(pk=message_id, channel=MessageChannel.CHAT, read_at=None)
        .first()
    )
    if message is None or message.conversation.client is None:
        return None
    client, side = message.conversation.client, _recipient_side(message)
    if now < message.received_at + _grace() and side_online(client_id=client.pk, side=side, now=now):
        _check_later(message)  # the chat is open, maybe being read: look again when the grace period is over
        return None
    streak = list(
        unread_messages(client=client, side=side).filter(channel=MessageChannel.CHAT).order_by("received_at", "pk")
    )
    if not streak:
        return None
    try:
        if side == ChatSide.CLIENT:
            return _notify_client(client, message.conversation, streak)
        return _notify_staff(client, message.conversation, streak)
    except OutboxError as error:  # an address the outbox cannot use: nothing to retry
        logger.warning("chat notice not queued", extra={"message_id": message_id, "error": str(error)})
        return None


def chat_notice_sweep(*, now: datetime) -> int:
    """The check of every unread streak whose notice is due but was never planned (a worker died between the
    message's commit and planning its check); how many streaks were checked. Messages older than a day are left:
    by then the recipient has been told, or a notice would be late anyway. Checks are idempotent by the streak."""
    due = (
        Message.objects.filter(
            channel=MessageChannel.CHAT,
            read_at=None,
            received_at__lt=now - _grace() - SWEEP_MARGIN,
            received_at__gte=now - timedelta(days=1),
        )
        .order_by("conversation_id", "direction", "received_at", "pk")
        .values_list("pk", "conversation_id", "direction")
    )
    firsts = {}
    for message_id, conversation_id, direction in due:
        firsts.setdefault((conversation_id, direction), message_id)
    noticed = set(
        OutboxMessage.objects.filter(idempotency_key__in=[_key(pk) for pk in firsts.values()]).values_list(
            "idempotency_key", flat=True
        )
    )
    checked = 0
    for message_id in firsts.values():
        if _key(message_id) not in noticed:
            chat_notice_send(message_id=message_id, now=now)
            checked += 1
    return checked


def _key(first_unread_id: int) -> str:
    return f"chat-notice:{first_unread_id}"


def _notify_client(client: Client, conversation: Conversation, streak: list[Message]) -> OutboxMessage | None:
    business = BusinessProfile.current()
    url = settings.SITE_URL + reverse("comms:portal-chat")
    context = {
        "first_name": client.name.split(" ")[0],
        "business": business.name,
        "sender": streak[-1].sender_name or business.name,
        "count": len(streak),
        "preview": truncatechars(streak[-1].body, PREVIEW_CHARS),
        "url": url,
    }
    common = {
        "client": client,
        "event": conversation.event,
        "template": "comms/chat/notice",
        "context": {"message_id": streak[-1].pk},
    }
    sms = bool(client.phone) and not client.email and not opted_out(channel=Channel.SMS, address=client.phone)
    email = client.email or (client.user.email if client.user else "")
    if email and not sms:
        subject = f"New message from {business.name}"
        inner = render_to_string("comms/chat/notice_client.html", context)
        return message_queue(
            channel=Channel.EMAIL,
            to=email,
            subject=subject,
            body=render_to_string("comms/chat/notice_client.txt", context),
            html=render_to_string(
                "comms/email/branded.html", {"business": business_branding(), "content": inner, "subject": subject}
            ),
            idempotency_key=_key(streak[0].pk),
            **common,
        )
    if sms:
        return message_queue(
            channel=Channel.SMS,
            to=client.phone,
            body=f"{business.name}: you have a new message in your client portal. Read and reply: {url}",
            idempotency_key=_key(streak[0].pk),
            **common,
        )
    logger.info("chat notice: the client has no address", extra={"client_id": client.pk})
    return None


def _notify_staff(client: Client, conversation: Conversation, streak: list[Message]) -> OutboxMessage | None:
    to = _staff_address(conversation)
    if not to:
        logger.info("chat notice: the business has no address", extra={"client_id": client.pk})
        return None
    context = {
        "client": client.name,
        "count": len(streak),
        "preview": truncatechars(streak[-1].body, PREVIEW_CHARS),
        "url": settings.SITE_URL + reverse("comms:staff-chat", args=[client.uuid]),
    }
    # No client or event on the row: a notice to ourselves is not a message to the client (automations count those).
    return message_queue(
        channel=Channel.EMAIL,
        to=to,
        subject=f"New chat message from {client.name}",
        body=render_to_string("comms/chat/notice_staff.txt", context),
        template="comms/chat/notice",
        context={"message_id": streak[-1].pk},
        idempotency_key=_key(streak[0].pk),
    )


def _staff_address(conversation: Conversation) -> str:
    """The lead DJ of the thread's event (else another DJ working it), else the business's address, else the
    first owner's."""
    if conversation.event_id:
        assignment = (
            StaffAssignment.objects.filter(event_id=conversation.event_id, released_at=None, staff__is_active=True)
            .exclude(staff__email="")
            .annotate(
                lead=Case(
                    When(role=StaffAssignment.Role.LEAD_DJ, then=Value(0)), default=1, output_field=IntegerField()
                )
            )
            .order_by("lead", "pk")
            .select_related("staff")
            .first()
        )
        if assignment is not None:
            return assignment.staff.email
    business = BusinessProfile.current()
    if business.email:
        return business.email
    owner = User.objects.filter(role=Role.OWNER, is_active=True).exclude(email="").order_by("pk").first()
    return owner.email if owner else ""
