"""The staff inbox: threads awaiting a reply first, triage badges and the draft in an editable textarea;
"Approve & send" queues the edited text through the outbox in the inbound channel and records it in the thread;
"Dismiss"; staff only, CSRF-protected."""

import datetime as dt

import pytest
from django.test import Client as BrowserClient
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.models import Lead, Message, OutboxMessage
from comms.services.inbound import Incoming, inbound_receive
from comms.tasks import triage_inbound
from tests.comms.conftest import run_queued_tasks
from tests.factories import ClientFactory

INQUIRY = "Hi! Are you free for our wedding on June 12, 2027 at Rosewood Barn? About 120 guests.\n\nMaria"
COMPLAINT = "The music was far too loud and the DJ arrived an hour late. I am really disappointed. Sam"


def _receive(body, *, channel="email", sender="Maria Lopez <maria@example.com>", pid="pm-1", ago=0, subject="DJ"):
    return inbound_receive(
        incoming=Incoming(
            channel=channel,
            sender=sender,
            subject=subject if channel == "email" else "",
            body=body,
            received_at=timezone.now() - dt.timedelta(minutes=ago),
            provider="postmark" if channel == "email" else "twilio",
            provider_message_id=pid,
            message_id_header=f"<m{pid[3:]}@mail.example.com>" if channel == "email" else "",
        )
    )


@pytest.fixture
def business(db, settings):
    settings.LLM_API_BASE = ""
    BusinessProfile(name="Night Owl DJs").save()


def test_threads_awaiting_a_reply_come_first_most_urgent_first(business, client, staff_dj):
    ClientFactory(name="Sam Rivera", email="sam@example.com")
    _receive(INQUIRY, ago=90)
    _receive(COMPLAINT, sender="sam@example.com", pid="pm-2", ago=5)
    triage_inbound()
    client.force_login(staff_dj)
    page = client.get("/inbox/").content.decode()

    assert "2 threads awaiting a reply" in page
    assert page.index("Sam Rivera") < page.index("Maria Lopez")  # the complaint is urgent
    assert "Complaint" in page and "High urgency" in page and "Date free" in page
    draft = Message.objects.get(provider_message_id="pm-1").draft
    assert "is still open" in draft
    assert f">{draft}</textarea>" in page.replace("&#x27;", "'")
    assert "Approve &amp; send" in page and "Dismiss" in page


def test_approve_and_send_queues_the_edited_text_in_the_inbound_channel(business, client, staff_dj):
    inbound = _receive(INQUIRY)
    triage_inbound()
    client.force_login(staff_dj)
    edited = "Hi Maria, June 12 is free! A quote follows today. Best, Night Owl DJs"
    response = client.post(f"/inbox/{inbound.pk}/reply/", {"body": edited, "subject": "Re: DJ for June 12"})
    assert response.status_code == 302

    outbox = OutboxMessage.objects.get()
    assert (outbox.channel, outbox.to, outbox.subject, outbox.body) == (
        "email",
        "maria@example.com",
        "Re: DJ for June 12",
        edited,
    )
    assert outbox.status == "queued" and outbox.purpose == "transactional"
    assert outbox.headers == {"In-Reply-To": "<m1@mail.example.com>", "References": "<m1@mail.example.com>"}
    reply = Message.objects.get(direction="out")
    assert (reply.conversation, reply.outbox, reply.in_reply_to, reply.body) == (
        inbound.conversation,
        outbox,
        inbound,
        edited,
    )
    inbound.refresh_from_db()
    assert inbound.reply_status == "replied"
    assert Lead.objects.get().status == "contacted"

    # A double click sends nothing more.
    again = client.post(f"/inbox/{inbound.pk}/reply/", {"body": edited}, follow=True)
    assert "replied already" in again.content.decode()
    assert OutboxMessage.objects.count() == 1 and Message.objects.filter(direction="out").count() == 1


def test_an_sms_is_answered_by_sms(business, client, staff_dj, twilio, django_capture_on_commit_callbacks):
    known = ClientFactory(phone="+1 555 010 2000")
    inbound = _receive("Can we add 30 min to the end of the night?", channel="sms", sender="+15550102000", pid="SM1")
    client.force_login(staff_dj)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/inbox/{inbound.pk}/reply/", {"body": "Yes, no problem! Sam from Night Owl"})
    run_queued_tasks()
    assert [(sms["to"], sms["body"]) for sms in twilio.messages] == [
        ("+15550102000", "Yes, no problem! Sam from Night Owl")
    ]
    outbox = OutboxMessage.objects.get()
    assert (outbox.channel, outbox.client, outbox.status) == ("sms", known, "sent")


def test_an_empty_reply_is_refused_and_stores_nothing(business, client, staff_dj):
    inbound = _receive(INQUIRY)
    client.force_login(staff_dj)
    page = client.post(f"/inbox/{inbound.pk}/reply/", {"body": "   "}, follow=True).content.decode()
    assert "The reply is empty." in page
    assert not OutboxMessage.objects.exists() and not Message.objects.filter(direction="out").exists()
    inbound.refresh_from_db()
    assert inbound.reply_status == "open"


def test_dismiss(business, client, staff_dj):
    inbound = _receive("Thanks again for everything!")
    client.force_login(staff_dj)
    client.post(f"/inbox/{inbound.pk}/dismiss/")
    inbound.refresh_from_db()
    assert inbound.reply_status == "dismissed" and not OutboxMessage.objects.exists()
    assert "0 threads awaiting a reply" in client.get("/inbox/").content.decode()


def test_the_inbox_is_for_staff_only(business, client, client_a):
    inbound = _receive(INQUIRY)
    assert client.get("/inbox/").status_code == 302  # to the log-in
    client.force_login(client_a.user)  # a client's portal account
    assert client.get("/inbox/").status_code == 404
    assert client.post(f"/inbox/{inbound.pk}/reply/", {"body": "hi"}).status_code == 404
    assert not OutboxMessage.objects.exists()


def test_replying_needs_the_csrf_token(business, staff_dj):
    inbound = _receive(INQUIRY)
    browser = BrowserClient(enforce_csrf_checks=True)
    browser.force_login(staff_dj)
    assert browser.post(f"/inbox/{inbound.pk}/reply/", {"body": "hi"}).status_code == 403
    assert not OutboxMessage.objects.exists()
