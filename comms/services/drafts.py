"""Drafted replies, every minute: new inbound messages are claimed (one conditional UPDATE, so two workers never
triage the same message), read by comms.triage with what only the database knows (is the date asked free in the
calendar, the prices, the business's name), optionally polished by an LLM (comms/llm.py), and stored with the
draft on the message. Nothing is sent: staff approve, edit and send from the inbox.

A claim older than TRIAGE_LEASE (a worker died mid-way) is taken again; a triaged message is never redone."""

import datetime as dt
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import BusinessProfile
from comms import llm
from comms.models import Direction, Message, TriageStatus
from comms.services.inbound import event_on
from comms.triage import InboundMessage, triage
from events.models import Package

TRIAGE_LEASE = timedelta(minutes=5)
BATCH = 10  # per run: with the LLM's timeout, well inside the q2 task timeout
ASKS_FOR_A_DATE = frozenset({"inquiry", "availability", "pricing", "change_request"})
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$"}


def price_note(*, business: BusinessProfile) -> str | None:
    """settings.REPLY_PRICE_NOTE, else a sentence from the active packages, else None (the draft promises a
    quote)."""
    if settings.REPLY_PRICE_NOTE:
        return settings.REPLY_PRICE_NOTE
    packages = list(Package.objects.filter(active=True, price_cents__gt=0).order_by("price_cents")[:3])
    if not packages:
        return None
    symbol = _SYMBOLS.get(business.currency, f"{business.currency} ")
    listed = "; ".join(f"{p.name} ({p.hours.normalize():f} hours) {symbol}{p.price_cents / 100:,.0f}" for p in packages)
    return f"My packages: {listed}."


def _claimable() -> Q:
    return Q(triage_status=TriageStatus.NEW) | Q(
        triage_status=TriageStatus.WORKING, triage_claimed_at__lt=timezone.now() - TRIAGE_LEASE
    )


def inbound_triage_pending(*, limit: int = BATCH) -> int:
    """Triage the oldest untriaged inbound messages; returns how many this run triaged."""
    ids = list(
        Message.objects.filter(_claimable(), direction=Direction.IN)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(message_triage(message_id=message_id) for message_id in ids)


def message_triage(*, message_id: int) -> bool:
    """Triage one inbound message if nobody else has; True when this call did."""
    claimed_at = timezone.now()
    claimed = Message.objects.filter(_claimable(), pk=message_id, direction=Direction.IN).update(
        triage_status=TriageStatus.WORKING, triage_claimed_at=claimed_at
    )
    if not claimed:
        return False
    message = Message.objects.select_related("conversation__client").get(pk=message_id)
    business = BusinessProfile.current()
    client = message.conversation.client
    display_name = message.sender_name or (client.name if client else "")
    inbound = InboundMessage(
        sender=f"{display_name} <{message.sender}>" if display_name else message.sender,
        subject=message.subject,
        body=message.body,
        received_at=timezone.localtime(message.received_at, zoneinfo.ZoneInfo(business.time_zone)),
    )
    facts = dict(business_name=business.name, day_first=settings.REPLY_DATES_DAY_FIRST)
    first = triage(inbound, **facts)
    # The calendar's answer for a date asked about (the writer's own booking does not make it busy for them).
    availability = None
    if first.intent in ASKS_FOR_A_DATE and first.event_date and first.event_date >= inbound.received_at.date():
        availability = event_on(first.event_date, exclude_client=client) is None
    result = triage(inbound, **facts, availability=availability, price_note=price_note(business=business))
    polished = llm.draft_polish(draft=result.draft, message_text=f"{message.subject}\n\n{message.body}".strip())
    Message.objects.filter(pk=message_id, triage_status=TriageStatus.WORKING, triage_claimed_at=claimed_at).update(
        triage_status=TriageStatus.DONE,
        triaged_at=timezone.now(),
        intent=result.intent,
        sentiment=result.sentiment,
        urgency=result.urgency,
        extracted={
            "event_date": _iso(result.event_date),
            "event_type": result.event_type,
            "guest_count": result.guest_count,
            "venue": result.venue,
            "available": availability,
        },
        draft=polished or result.draft,
        draft_polished=polished is not None,
    )
    return True


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
