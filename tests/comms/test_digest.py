"""The owners' daily digest: from DIGEST_HOUR in the business's time zone, once a day per owner, with today's and
this week's events, new leads, messages awaiting a reply and failed sends."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.models import Lead, OutboxMessage
from comms.services.digest import digest_send_due
from comms.services.inbound import Incoming, inbound_receive
from comms.status import OutboxStatus
from events.status import EventStatus
from tests.factories import EventFactory, UserFactory

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
MORNING = dt.datetime(2027, 6, 10, 7, 30, tzinfo=NEW_YORK)  # a Thursday


@pytest.fixture
def business(db, settings, owner):
    settings.DIGEST_HOUR = 7
    BusinessProfile(name="Night Owl DJs", time_zone="America/New_York").save()
    return owner


def digests() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(idempotency_key__startswith="digest:").order_by("to"))


def test_the_digest_says_what_the_day_and_week_hold(business):
    EventFactory(title="Rivera wedding", date=MORNING.date(), status=EventStatus.BOOKED)
    EventFactory(title="Acme summer party", date=MORNING.date() + dt.timedelta(days=2), status=EventStatus.BOOKED)
    EventFactory(title="Next month's gala", date=MORNING.date() + dt.timedelta(days=30))
    EventFactory(title="Cancelled prom", date=MORNING.date(), status=EventStatus.CANCELLED)
    inbound_receive(
        incoming=Incoming(
            channel="email",
            sender="Maria Lopez <maria@example.com>",
            subject="Wedding DJ for June 12?",
            body="Hi! Are you free for our wedding on June 12, 2027? About 120 guests.\n\nMaria",
            received_at=timezone.now(),
            provider="postmark",
            provider_message_id="pm-1",
        )
    )
    Lead.objects.filter(email="maria@example.com").update(created_at=MORNING - dt.timedelta(hours=3))
    OutboxMessage.objects.create(
        channel="sms",
        to="+15550100",
        body="See you tonight",
        status=OutboxStatus.FAILED,
        last_error="21211 invalid",
        due_at=timezone.now(),
    )
    OutboxMessage.objects.update(updated_at=MORNING - dt.timedelta(hours=2))  # failed overnight

    assert digest_send_due(now=MORNING) == 1

    (digest,) = digests()
    assert digest.to == "owner@example.com"
    assert digest.subject == "Night Owl DJs: 1 event today, 1 new leads"
    text = digest.body
    assert "Thursday 10 June 2027" in text
    assert "18:00 Rivera wedding" in text and "Cancelled prom" not in text
    assert "Sat 12 Jun 18:00 Acme summer party" in text and "gala" not in text
    assert "- Maria Lopez: Wedding on 12 Jun 2027, 120 guests" in text
    assert "Wedding DJ for June 12?" in text  # awaiting a reply
    assert "To +15550100: See you tonight: 21211 invalid" in text
    assert "<strong>Rivera wedding</strong>" in digest.html


def test_one_digest_a_day_per_owner_from_the_hour_in_the_business_time_zone(business):
    UserFactory(role="owner", email="partner@example.com")
    UserFactory(role="staff", email="dj@example.com")

    assert digest_send_due(now=MORNING.replace(hour=6, minute=59)) == 0  # 10:59 UTC: not yet in New York
    assert digest_send_due(now=MORNING) == 2
    assert digest_send_due(now=MORNING + dt.timedelta(hours=3)) == 0  # a later run, or a second worker
    assert [message.to for message in digests()] == ["owner@example.com", "partner@example.com"]

    assert digest_send_due(now=MORNING + dt.timedelta(days=1)) == 2  # the next morning
