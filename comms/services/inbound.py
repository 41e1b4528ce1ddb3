"""Inbound messages (e-mail through anymail's inbound webhook, SMS through Twilio's) land in a conversation:
the thread of the client they come from (matched by e-mail address or phone number), else of the lead who wrote
before, else of a new Lead whose event facts (date, type, guests, venue) comms.triage reads from the text.

Idempotent on the provider's message id: a webhook delivered twice stores one message. Automated mail (out of
office replies, mailing lists, spam) makes no lead: from a stranger it is dropped; from a client or lead it is
kept in the thread but neither triaged nor waiting for a reply."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.models import (
    Conversation,
    Direction,
    Lead,
    Message,
    MessageChannel,
    ReplyStatus,
    TriageStatus,
    normalize_address,
)
from comms.services.attachments import IncomingFile, attachments_store
from comms.services.chat import chat_message_broadcast
from comms.services.mms import MAX_MEDIA, MediaRef, media_fetch_enqueue_on_commit
from comms.services.threads import client_conversation_get_or_create
from comms.triage import InboundMessage, triage
from events.models import Client, Event
from events.status import EventStatus


@dataclass(frozen=True)
class Incoming:
    channel: str  # MessageChannel
    sender: str  # "Jane Doe <jane@example.com>" or "+15551234567"
    subject: str
    body: str
    received_at: dt.datetime
    provider: str
    provider_message_id: str
    files: list[IncomingFile] = field(default_factory=list)
    media: list[MediaRef] = field(default_factory=list)  # MMS: fetched from Twilio by a task after commit
    message_id_header: str = ""
    automated: bool = False  # an auto-reply (out of office), a list mailing, or spam by the provider's filter


def _address(channel: str, sender: str) -> tuple[str, str]:
    """(normalized address, display name) of the sender."""
    if channel == MessageChannel.EMAIL:
        name, address = parseaddr(sender)
        return normalize_address("email", address), name.strip()
    return normalize_address("sms", sender), ""


def client_for_address(*, channel: str, address: str) -> Client | None:
    if channel == MessageChannel.EMAIL:
        return Client.objects.filter(email__iexact=address).order_by("pk").first()
    # Client.phone is free text ("(555) 010-2000", often without the country code): narrow by the last four
    # digits, then compare the last ten.
    national = address.lstrip("+")[-10:]
    candidates = Client.objects.exclude(phone="").filter(phone__endswith=national[-4:]).order_by("pk")
    return next((c for c in candidates if normalize_address("sms", c.phone).endswith(national)), None)


def _lead_for_address(*, channel: str, address: str) -> Lead | None:
    by = {"email": address} if channel == MessageChannel.EMAIL else {"phone": address}
    return Lead.objects.filter(**by).order_by("-created_at").first()


def _new_lead(incoming: Incoming, *, address: str, name: str) -> Lead:
    business = BusinessProfile.current()
    received = timezone.localtime(incoming.received_at, zoneinfo.ZoneInfo(business.time_zone))
    facts = triage(InboundMessage(incoming.sender, incoming.subject, incoming.body, received))
    return Lead.objects.create(
        name=name,
        email=address if incoming.channel == MessageChannel.EMAIL else "",
        phone=address if incoming.channel == MessageChannel.SMS else "",
        event_date=facts.event_date,
        event_type=facts.event_type or "",
        guest_count=facts.guest_count,
        venue=(facts.venue or "")[:150],
        source=incoming.channel,
    )


def _conversation_for(incoming: Incoming, *, address: str, name: str) -> Conversation | None:
    client = client_for_address(channel=incoming.channel, address=address)
    if client is not None:
        return client_conversation_get_or_create(client=client)
    lead = _lead_for_address(channel=incoming.channel, address=address)
    if lead is not None:
        conversation = lead.conversations.order_by("-last_message_at").first()
        if conversation is not None:
            return conversation
    elif incoming.automated:
        return None
    else:
        lead = _new_lead(incoming, address=address, name=name)
    return Conversation.objects.create(lead=lead)


def inbound_receive(*, incoming: Incoming) -> Message | None:
    """Store one inbound message in its thread (see the module docstring); the same provider message id again
    returns the message stored the first time and changes nothing. None: automated mail from a stranger."""
    if incoming.provider_message_id:
        existing = Message.objects.filter(
            provider=incoming.provider, provider_message_id=incoming.provider_message_id
        ).first()
        if existing is not None:
            return existing
    address, name = _address(incoming.channel, incoming.sender)
    stored: list[str] = []  # attachment files written: deleted again when the transaction does not commit
    try:
        with transaction.atomic():
            conversation = _conversation_for(incoming, address=address, name=name)
            if conversation is None:
                return None
            message = Message.objects.create(
                conversation=conversation,
                direction=Direction.IN,
                channel=incoming.channel,
                sender=address,
                sender_name=name[:150],
                subject=incoming.subject[:255],
                body=incoming.body,
                received_at=incoming.received_at,
                provider=incoming.provider,
                provider_message_id=incoming.provider_message_id,
                message_id_header=incoming.message_id_header[:255],
                triage_status=TriageStatus.NONE if incoming.automated else TriageStatus.NEW,
                reply_status=ReplyStatus.NONE if incoming.automated else ReplyStatus.OPEN,
                pending_media=[{"url": m.url, "content_type": m.content_type} for m in incoming.media[:MAX_MEDIA]],
            )
            attachments_store(message=message, files=incoming.files, stored=stored)
            if message.pending_media:
                media_fetch_enqueue_on_commit(message_id=message.pk)
            Conversation.objects.filter(pk=conversation.pk).update(last_message_at=incoming.received_at)
            if conversation.client_id is not None:
                chat_message_broadcast(message=message)
    except IntegrityError:
        _delete_files(stored)
        # The same webhook, retried while the first was being stored.
        return Message.objects.get(provider=incoming.provider, provider_message_id=incoming.provider_message_id)
    except BaseException:
        _delete_files(stored)
        raise
    return message


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def event_on(day: dt.date, *, exclude_client: Client | None = None) -> Event | None:
    """The business's booked event on `day`, if any (inquiries and quotes do not hold the date)."""
    events = Event.objects.filter(date=day, status__in=[EventStatus.BOOKED, EventStatus.COMPLETED])
    if exclude_client is not None:
        events = events.exclude(client=exclude_client)
    return events.first()
