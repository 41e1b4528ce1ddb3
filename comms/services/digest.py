"""The owner's morning e-mail: today's and this week's events, new leads, messages awaiting a reply and sends that
failed. A schedule asks every 15 minutes; the digest goes once a day, from DIGEST_HOUR in the business's time
zone, to every active owner (an idempotency key per day and owner: a second run, or a second worker, finds it
queued already). Billing adds overdue invoices here once it exists."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string

from accounts.models import BusinessProfile, Role, User
from comms.models import Channel, Direction, Lead, Message, OutboxMessage, ReplyStatus
from comms.services.outbox import message_queue
from comms.status import OutboxStatus
from events.models import Event
from events.status import EventStatus

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Digest:
    business: str
    day: dt.date
    today: list[Event]
    this_week: list[Event]  # the six days after today
    new_leads: list[Lead]  # since the last digest's hour
    awaiting_reply: list[Message]
    failed_sends: list[OutboxMessage]  # in the last day

    @property
    def subject(self) -> str:
        events = len(self.today)
        return f"{self.business}: {events} event{'s' if events != 1 else ''} today, {len(self.new_leads)} new leads"


def digest_compose(*, day: dt.date, since: dt.datetime) -> Digest:
    """What the owner reads on `day`: leads and failures since `since` (the previous digest's time)."""
    events = Event.objects.exclude(status=EventStatus.CANCELLED).select_related("client", "venue")
    events = events.order_by("date", "start_time")
    awaiting: QuerySet[Message] = Message.objects.filter(direction=Direction.IN, reply_status=ReplyStatus.OPEN)
    return Digest(
        business=BusinessProfile.current().name,
        day=day,
        today=list(events.filter(date=day)),
        this_week=list(events.filter(date__gt=day, date__lt=day + WEEK)),
        new_leads=list(Lead.objects.filter(created_at__gte=since).order_by("created_at")),
        awaiting_reply=list(awaiting.select_related("conversation").order_by("received_at")),
        failed_sends=list(
            OutboxMessage.objects.filter(status=OutboxStatus.FAILED, updated_at__gte=since).order_by("updated_at")
        ),
    )


def digest_send_due(*, now: dt.datetime) -> int:
    """Queue today's digest for each owner once it is DIGEST_HOUR or later in the business's time zone. Returns how
    many were queued by this run (0 before the hour, and on every run after the first of the day)."""
    zone = zoneinfo.ZoneInfo(BusinessProfile.current().time_zone)
    local = now.astimezone(zone)
    if local.hour < settings.DIGEST_HOUR:
        return 0
    day = local.date()
    since = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(settings.DIGEST_HOUR), tzinfo=zone)
    owners = User.objects.filter(role=Role.OWNER, is_active=True).exclude(email="").order_by("pk")
    keys = {owner.pk: f"digest:{day.isoformat()}:{owner.pk}" for owner in owners}
    pending = [owner for owner in owners if not OutboxMessage.objects.filter(idempotency_key=keys[owner.pk]).exists()]
    if not pending:
        return 0
    digest = digest_compose(day=day, since=since)
    context = {"digest": digest, "site_url": settings.SITE_URL}
    text = render_to_string("comms/digest/digest.txt", context)
    html = render_to_string("comms/digest/digest.html", context)
    for owner in pending:
        message_queue(
            channel=Channel.EMAIL,
            to=owner.email,
            subject=digest.subject,
            body=text,
            html=html,
            idempotency_key=keys[owner.pk],
        )
    return len(pending)
