"""The staff inbox in Chromium: a draft edited and sent from the page. The `inbox` fixture (threads of every kind)
also serves tests/e2e/screenshots_inbox.py."""

import datetime as dt

import pytest
from django.db import connections
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.models import Message, OutboxMessage
from comms.services.inbound import Incoming, inbound_receive
from comms.services.inbox import reply_send
from comms.tasks import triage_inbound
from events.status import EventStatus
from tests.factories import ClientFactory, EventFactory, PackageFactory


def _receive(body, *, sender, pid, ago, channel="email", subject=""):
    return inbound_receive(
        incoming=Incoming(
            channel=channel,
            sender=sender,
            subject=subject,
            body=body,
            received_at=timezone.now() - dt.timedelta(minutes=ago),
            provider="postmark" if channel == "email" else "twilio",
            provider_message_id=pid,
        )
    )


@pytest.fixture
def inbox(transactional_db, settings):
    settings.LLM_API_BASE = ""
    BusinessProfile(name="Night Owl DJs").save()
    PackageFactory(name="Essential", hours=4, price_cents=120000, active=True)
    sam = ClientFactory(name="Sam & Alex Rivera", email="sam@example.com", phone="+1 555 010 2000")
    EventFactory(client=sam, title="Rivera wedding", date=timezone.localdate() + dt.timedelta(days=40))
    EventFactory(date=dt.date(2027, 7, 3), status=EventStatus.BOOKED)
    maria = _receive(
        "Hi! We're getting married on Saturday June 12, 2027 at Rosewood Barn, about 120 guests. "
        "Are you available and what do you charge?\n\nThanks,\nMaria\n\nSent from my iPhone",
        sender="Maria Lopez <maria@example.com>",
        pid="pm-1",
        ago=95,
        subject="Wedding DJ for June 12?",
    )
    _receive(
        "Honestly the sound at the tasting was awful and nobody called me back. Really disappointed.",
        sender="sam@example.com",
        pid="pm-2",
        ago=20,
        subject="Not happy",
    )
    _receive("hi do u do 40th bday partys? sat july 3rd, 60 ppl, at our place", sender="+15550109999", pid="SM1",
             ago=8, channel="sms")  # fmt: skip
    thanks = _receive("Thank you so much for Saturday, everyone loved it!", sender="Jo <jo@example.com>", pid="pm-4",
                      ago=600, subject="Thank you!")  # fmt: skip
    triage_inbound()
    reply_send(message_id=thanks.pk, body="Thank you Jo, it was a joy!")
    return {"maria": maria}


def test_a_draft_is_edited_and_sent_from_the_page(inbox, staff_dj, live_page):
    page = live_page(1280, 900, user=staff_dj)
    page.goto("/inbox/")
    maria = inbox["maria"]
    box = page.locator(f"#body-{maria.pk}")
    assert "is still open" in box.input_value()
    box.fill("Hi Maria, June 12 is yours if you want it! Quote attached shortly. Night Owl DJs")
    page.locator(f"form[action='/inbox/{maria.pk}/reply/']").get_by_role("button", name="Approve & send").click()
    page.get_by_text("Reply to maria@example.com queued to send.").wait_for()
    outbox = OutboxMessage.objects.get(to="maria@example.com")
    assert outbox.body.startswith("Hi Maria, June 12 is yours") and outbox.subject == "Re: Wedding DJ for June 12?"
    assert Message.objects.get(pk=maria.pk).reply_status == "replied"
    connections.close_all()
