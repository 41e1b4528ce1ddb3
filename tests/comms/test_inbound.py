"""Inbound e-mail (Postmark's inbound JSON through anymail's real webhook view) and inbound SMS (a signed Twilio
request) land in conversations: a known client's thread, or a new Lead with the facts read from the text."""

import base64
import datetime as dt

import pytest

from comms.models import Attachment, Conversation, Lead, Message
from tests.comms.conftest import SITE_URL, WEBHOOK_SECRET
from tests.factories import ClientFactory, EventFactory

INBOUND_URL = "/webhooks/anymail/postmark/inbound/"

FORWARDED_INQUIRY = """Hi there,

My fiance forwarded me your details. We're getting married on Saturday June 12th 2027 at Rosewood Barn
and expect about 120 guests. Are you available, and what would a 5 hour package cost?

Thanks so much!
Maria

Sent from my iPhone

---------- Forwarded message ---------
From: Tom Becker <tom@example.org>
Date: Mon, Nov 30, 2026 at 9:12 PM
Subject: DJ for the wedding?
To: Maria Lopez <maria.lopez@example.com>

Found this DJ, looks good for a party of 40 at the Grand Hotel, maybe?
"""


@pytest.fixture
def inbound_email(settings, tmp_path):
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}
    settings.MEDIA_ROOT = tmp_path
    settings.INBOUND_ATTACHMENT_MAX_BYTES = 2000
    auth = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(WEBHOOK_SECRET.encode()).decode()}

    def post(
        client, *, sender, name="", body, subject="Wedding DJ", message_id="pm-1", attachments=(), headers=(), **extra
    ):
        payload = {
            "FromFull": {"Email": sender, "Name": name},
            "ToFull": [{"Email": "bookings@djbiz.example.com", "Name": ""}],
            "Subject": subject,
            "MessageID": message_id,
            "TextBody": body,
            "HtmlBody": "",
            "Headers": [{"Name": "Message-ID", "Value": f"<{message_id}@mail.example.com>"}]
            + [{"Name": name, "Value": value} for name, value in headers],
            "Attachments": [
                {"Name": filename, "ContentType": kind, "Content": base64.b64encode(data).decode(), "ContentLength": 1}
                for filename, kind, data in attachments
            ],
        }
        return client.post(INBOUND_URL, payload, content_type="application/json", **(auth | extra))

    return post


def test_an_unknown_sender_becomes_a_lead_with_the_facts_of_the_inquiry(db, client, inbound_email):
    response = inbound_email(client, sender="Maria.Lopez@Example.com", name="Maria Lopez", body=FORWARDED_INQUIRY)
    assert response.status_code == 200

    lead = Lead.objects.get()
    assert (lead.name, lead.email, lead.status, lead.source) == (
        "Maria Lopez",
        "maria.lopez@example.com",
        "new",
        "email",
    )
    # Her own text counts, not the forwarded one (40 guests at the Grand Hotel).
    assert lead.event_date == dt.date(2027, 6, 12)
    assert (lead.event_type, lead.guest_count, lead.venue) == ("wedding", 120, "Rosewood Barn")
    message = Message.objects.get()
    assert message.conversation.lead == lead and message.direction == "in" and message.channel == "email"
    assert message.subject == "Wedding DJ" and "Rosewood Barn" in message.body
    assert (message.triage_status, message.reply_status) == ("new", "open")


def test_a_known_client_writes_into_their_thread(db, client, inbound_email):
    known = ClientFactory(email="sam.rivera@example.com")
    event = EventFactory(client=known, date=dt.date.today() + dt.timedelta(days=30))
    inbound_email(client, sender="SAM.RIVERA@example.com", body="Can we move the first dance to 9pm?\n\n--\nSam")
    inbound_email(client, sender="sam.rivera@example.com", body="Also: no Macarena please.", message_id="pm-2")

    assert not Lead.objects.exists()
    conversation = Conversation.objects.get()
    assert (conversation.client, conversation.event) == (known, event)
    assert conversation.messages.count() == 2


def test_a_second_message_from_a_lead_joins_the_lead_thread(db, client, inbound_email):
    inbound_email(client, sender="maria@example.com", body="Are you free on 12 June 2027 for our wedding?")
    inbound_email(client, sender="maria@example.com", body="Forgot to say: 120 guests.", message_id="pm-2")
    assert Lead.objects.count() == 1 and Conversation.objects.count() == 1 and Message.objects.count() == 2


def test_a_retried_webhook_stores_the_message_once(db, client, inbound_email):
    for _ in range(3):
        assert inbound_email(client, sender="maria@example.com", body="Hello!").status_code == 200
    assert Message.objects.count() == 1 and Lead.objects.count() == 1


def test_automated_mail_makes_no_lead_and_waits_for_no_reply(db, client, inbound_email):
    ClientFactory(email="sam@example.com")
    out_of_office = [("Auto-Submitted", "auto-replied")]
    inbound_email(client, sender="stranger@example.com", body="I am out of the office.", headers=out_of_office)
    inbound_email(client, sender="news@venue.example", body="Our newsletter", message_id="pm-2",
                  headers=[("List-Unsubscribe", "<mailto:u@venue.example>")])  # fmt: skip
    assert not Lead.objects.exists() and not Message.objects.exists()

    inbound_email(client, sender="sam@example.com", body="Away until Monday.", message_id="pm-3", headers=out_of_office)
    message = Message.objects.get()
    assert (message.triage_status, message.reply_status) == ("none", "none")
    assert message.message_id_header == "<pm-3@mail.example.com>"


def test_the_inbound_webhook_needs_the_secret(db, client, inbound_email):
    wrong = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"anymail:guess").decode()}
    assert inbound_email(client, sender="x@example.com", body="Hi", **wrong).status_code == 400
    response = client.post(INBOUND_URL, {"TextBody": "Hi"}, content_type="application/json")
    assert response.status_code == 400
    assert not Message.objects.exists() and not Lead.objects.exists()


def test_attachments_are_kept_only_when_type_and_size_are_right(db, client, inbound_email, tmp_path):
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    inbound_email(
        client,
        sender="maria@example.com",
        body="Our timeline and the venue map attached.",
        attachments=[
            ("Timeline.pdf", "application/pdf", pdf),
            ("map.png", "image/png", png),
            ("invoice.pdf", "application/pdf", b"MZ\x90\x00 this is an executable"),
            ("setup.exe", "application/octet-stream", b"MZ\x90\x00"),
            ("huge.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(3000)),
        ],
    )
    message = Message.objects.get()
    kept = {a.filename: a for a in Attachment.objects.all()}
    assert set(kept) == {"Timeline.pdf", "map.png"}
    assert kept["Timeline.pdf"].content_type == "application/pdf" and kept["Timeline.pdf"].size == len(pdf)
    assert kept["Timeline.pdf"].file.read() == pdf
    assert (tmp_path / kept["map.png"].file.name).read_bytes() == png
    assert message.refused_attachments == [
        {"filename": "invoice.pdf", "reason": "the content is not a .pdf file"},
        {"filename": "setup.exe", "reason": "type .exe is not accepted"},
        {"filename": "huge.png", "reason": "larger than 1.95 KB"},
    ]


# --- SMS --------------------------------------------------------------------------------------------------------


def _text(client, twilio, body: str, sid: str, sender: str = "+15550102000"):
    params = {"MessageSid": sid, "From": sender, "To": "+15550001111", "Body": body, "AccountSid": twilio.account_sid}
    return client.post("/webhooks/twilio/sms/", params, **twilio.signed(f"{SITE_URL}/webhooks/twilio/sms/", params))


def test_a_text_from_a_client_lands_in_their_thread(db, twilio, client):
    known = ClientFactory(phone="(555) 010-2000")
    response = _text(client, twilio, "Running 10 min late for the walkthrough, sorry!", "SM100")
    assert response.status_code == 200 and b"<Message>" not in response.content
    message = Message.objects.get()
    assert message.conversation.client == known
    assert (message.channel, message.sender, message.provider_message_id) == ("sms", "+15550102000", "SM100")

    _text(client, twilio, "Running 10 min late for the walkthrough, sorry!", "SM100")  # Twilio retries
    assert Message.objects.count() == 1


def test_a_text_from_a_stranger_makes_a_lead_and_keywords_make_no_message(db, twilio, client):
    _text(client, twilio, "hi do u do bday partys? 30 ppl next saturday", "SM200", sender="+15550109999")
    _text(client, twilio, "STOP", "SM201", sender="+15550109999")
    lead = Lead.objects.get()
    assert (lead.phone, lead.source, lead.event_type, lead.guest_count) == ("+15550109999", "sms", "birthday", 30)
    assert lead.event_date is not None and lead.event_date.weekday() == 5
    assert Message.objects.count() == 1


def test_an_unsigned_text_is_refused(db, twilio, client):
    response = client.post("/webhooks/twilio/sms/", {"MessageSid": "SM9", "From": "+15550102000", "Body": "Hi"})
    assert response.status_code == 403 and not Message.objects.exists()
