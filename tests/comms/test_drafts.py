"""The every-minute task: new inbound messages get intent, sentiment, urgency, the event's facts and a drafted
reply built with the calendar's answer and the prices; an LLM (a fake OpenAI-compatible server) may polish it,
and when it fails the template draft stays. Nothing is sent."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.models import Message, OutboxMessage
from comms.services.inbound import Incoming, inbound_receive
from comms.tasks import SCHEDULES, triage_inbound
from djbiz.schedules import sync_schedules
from events.status import EventStatus
from tests.factories import ClientFactory, EventFactory, PackageFactory
from tests.fakes.llm_server import FakeLLM

INQUIRY = """Hello!

We are planning our wedding on Saturday, June 12, 2027 at Rosewood Barn, around 120 guests.
Are you available that day and what are your prices?

Cheers,
Maria Lopez
Event Planner | Lopez & Co
+1 (555) 010-3000
"""


def _receive(body: str, *, sender="Maria Lopez <maria@example.com>", message_id="pm-1", subject="Wedding DJ"):
    return inbound_receive(
        incoming=Incoming(
            channel="email",
            sender=sender,
            subject=subject,
            body=body,
            received_at=timezone.now(),
            provider="postmark",
            provider_message_id=message_id,
        )
    )


@pytest.fixture
def business(db, settings):
    settings.LLM_API_BASE = ""
    settings.REPLY_PRICE_NOTE = ""
    BusinessProfile(name="Night Owl DJs", currency="USD", time_zone="America/New_York").save()


@pytest.fixture
def llm(settings):
    server = FakeLLM(api_key="sk-test").start()
    settings.LLM_API_BASE = server.url + "/v1"
    settings.LLM_API_KEY = "sk-test"
    settings.LLM_MODEL = "fake-model"
    settings.LLM_TIMEOUT_SECONDS = 2
    yield server
    server.stop()


def test_the_task_is_scheduled_every_minute(db):
    spec = next(spec for spec in SCHEDULES if spec.func == "comms.tasks.triage_inbound")
    assert (spec.schedule_type, spec.minutes) == ("I", 1)
    assert spec.name in sync_schedules()[0]


def test_a_new_inquiry_gets_a_draft_with_the_free_date_and_the_prices(business):
    PackageFactory(name="Essential", hours=4, price_cents=120000, active=True)
    message = _receive(INQUIRY)
    assert triage_inbound() == 1

    message.refresh_from_db()
    assert (message.triage_status, message.intent) == ("done", "inquiry")
    assert message.sentiment in ("positive", "neutral") and message.urgency in ("low", "normal", "high")
    assert message.extracted == {
        "event_date": "2027-06-12",
        "event_type": "wedding",
        "guest_count": 120,
        "venue": "Rosewood Barn",
        "available": True,
    }
    assert message.draft.startswith("Hi Maria,")
    assert "Saturday, June 12, 2027 is still open" in message.draft
    assert "Essential (4 hours) $1,200" in message.draft
    assert message.draft.endswith("Night Owl DJs")
    assert not message.draft_polished
    assert not OutboxMessage.objects.exists()  # nothing is sent


def test_a_booked_date_is_declined_in_the_draft(business):
    EventFactory(date=dt.date(2027, 6, 12), status=EventStatus.BOOKED)
    message = _receive(INQUIRY)
    triage_inbound()
    message.refresh_from_db()
    assert message.extracted["available"] is False
    assert "Saturday, June 12, 2027 is already booked" in message.draft


def test_the_clients_own_booking_does_not_make_their_date_busy(business):
    client = ClientFactory(email="maria@example.com")
    EventFactory(client=client, date=dt.date(2027, 6, 12), status=EventStatus.BOOKED)
    message = _receive("About our wedding on June 12, 2027: could you start an hour later? Thanks, Maria")
    triage_inbound()
    message.refresh_from_db()
    assert message.extracted["available"] is True


def test_running_twice_drafts_once(business):
    message = _receive(INQUIRY)
    assert triage_inbound() == 1
    message.refresh_from_db()
    first = (message.draft, message.triaged_at)
    assert triage_inbound() == 0
    message.refresh_from_db()
    assert (message.draft, message.triaged_at) == first


def test_a_claim_left_by_a_dead_worker_is_taken_again_after_the_lease(business):
    message = _receive(INQUIRY)
    Message.objects.filter(pk=message.pk).update(triage_status="working", triage_claimed_at=timezone.now())
    assert triage_inbound() == 0  # someone is on it
    Message.objects.filter(pk=message.pk).update(triage_claimed_at=timezone.now() - dt.timedelta(minutes=6))
    assert triage_inbound() == 1
    message.refresh_from_db()
    assert message.triage_status == "done" and message.draft


def test_the_llm_polishes_the_draft(business, llm):
    llm.reply = "Hi Maria! Great news: June 12, 2027 is open. Talk soon, Night Owl DJs"
    message = _receive(INQUIRY)
    triage_inbound()
    message.refresh_from_db()
    assert message.draft == llm.reply and message.draft_polished
    prompt = llm.prompts()[0]
    assert prompt["model"] == "fake-model"
    assert "Rosewood Barn" in prompt["messages"][1]["content"]  # the client's message
    assert "is still open" in prompt["messages"][1]["content"]  # and the template draft with the facts


@pytest.mark.parametrize(
    "failure",
    [(500, {"error": {"message": "overloaded"}}), (200, {"choices": []}), (200, {"unexpected": True})],
)
def test_a_failing_llm_leaves_the_template_draft(business, llm, failure):
    llm.fail_next.append(failure)
    message = _receive(INQUIRY)
    triage_inbound()
    message.refresh_from_db()
    assert message.triage_status == "done" and not message.draft_polished
    assert "is still open" in message.draft


def test_a_slow_llm_times_out_and_the_template_draft_stays(business, llm, settings):
    settings.LLM_TIMEOUT_SECONDS = 0.2
    llm.latency = 1.0
    message = _receive(INQUIRY)
    triage_inbound()
    message.refresh_from_db()
    assert not message.draft_polished and "is still open" in message.draft


def test_an_unreachable_llm_leaves_the_template_draft(business, settings):
    settings.LLM_API_BASE = "http://127.0.0.1:9/v1"  # discard port: nothing listens
    message = _receive(INQUIRY)
    triage_inbound()
    message.refresh_from_db()
    assert message.triage_status == "done" and not message.draft_polished and message.draft


def test_a_known_client_is_greeted_by_name_and_a_thank_you_gets_no_calendar_answer(business):
    ClientFactory(name="Sam & Alex Rivera", email="sam@example.com")
    message = _receive("Thank you so much for last Saturday, everyone loved it!", sender="sam@example.com")
    triage_inbound()
    message.refresh_from_db()
    assert message.intent == "thanks" and message.draft.startswith("Hi Sam,")
    assert message.extracted["available"] is None
