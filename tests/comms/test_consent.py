"""Consent: one-click unsubscribe, SMS STOP/START/HELP, opted-out recipients get no marketing (transactional
still goes), SMS quiet hours in the recipient's time zone (deferred, not dropped)."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core import signing

from accounts.models import BusinessProfile
from comms.models import OptOut, OutboxMessage
from comms.services.consent import opt_out_record, quiet_hours_end, unsubscribe_url
from comms.services.outbox import message_queue, message_send, outbox_dispatch_due
from tests.comms.conftest import SITE_URL, run_queued_tasks
from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _path(url: str) -> str:
    return urlsplit(url).path


# --- unsubscribe ---------------------------------------------------------------------------------------------


def test_the_link_asks_first_and_a_get_changes_nothing(client):
    url = unsubscribe_url(channel="email", address="Alice@Example.com")
    page = client.get(_path(url))
    assert page.status_code == 200
    assert b"al\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2@example.com" in page.content  # masked: al•••@example.com
    assert b"Unsubscribe</button>" in page.content
    assert not OptOut.objects.exists()  # mail scanners follow links


def test_the_button_unsubscribes(client):
    path = _path(unsubscribe_url(channel="email", address="alice@example.com"))
    page = client.post(path)
    assert page.status_code == 200 and "You’re unsubscribed" in page.content.decode()
    assert OptOut.objects.get().source == "link"
    assert client.post(path).status_code == 200  # twice is fine
    assert OptOut.objects.count() == 1


def test_one_click_post_from_a_mail_client_unsubscribes_without_csrf(client):
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    path = _path(unsubscribe_url(channel="email", address="alice@example.com"))
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert OptOut.objects.get().source == "one_click"


def test_a_forged_link_is_refused(client):
    forged = signing.dumps({"c": "email", "a": "someone@example.com"}, salt="something-else")
    response = client.post(f"/unsubscribe/{forged}/")
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert not OptOut.objects.exists()


# --- opted-out recipients ------------------------------------------------------------------------------------


def test_marketing_to_an_opted_out_address_is_suppressed_transactional_still_goes(
    postmark, django_capture_on_commit_callbacks
):
    opt_out_record(channel="email", address="ALICE@example.com", source="link")
    with django_capture_on_commit_callbacks(execute=True):
        offer = message_queue(channel="email", to="alice@example.com", body="20% off", purpose="marketing")
        message_queue(channel="email", to="alice@example.com", body="Your login link")
    assert offer.status == "suppressed"
    run_queued_tasks()
    assert [email["TextBody"] for email in postmark.emails] == ["Your login link"]


def test_an_opt_out_after_queueing_still_stops_the_marketing_message(twilio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offer = message_queue(channel="sms", to="+15550102000", body="Book 2027 now!", purpose="marketing")
    assert offer.body == "Book 2027 now!\nReply STOP to opt out."
    opt_out_record(channel="sms", address="+1 555 010 2000", source="keyword")
    assert run_queued_tasks() == ["suppressed"]
    assert not twilio.messages


# --- SMS keywords ----------------------------------------------------------------------------------------------


def _inbound(client, twilio, body: str, sid: str, sender: str = "+15550102000"):
    params = {"MessageSid": sid, "From": sender, "To": "+15550001111", "Body": body, "AccountSid": twilio.account_sid}
    return client.post("/webhooks/twilio/sms/", params, **twilio.signed(f"{SITE_URL}/webhooks/twilio/sms/", params))


def test_stop_start_and_help(twilio, client, django_capture_on_commit_callbacks):
    BusinessProfile(name="Night Owl DJs", phone="+1 555 0100").save()
    stop = _inbound(client, twilio, " stop ", "SM1")
    assert stop.status_code == 200 and b"<Message>" not in stop.content  # Twilio confirms STOP itself
    assert OptOut.objects.get().address == "+15550102000"

    with django_capture_on_commit_callbacks(execute=True):
        message_queue(channel="sms", to="+15550102000", body="Spring offer", purpose="marketing")
        message_queue(channel="sms", to="+15550102000", body="Your event is confirmed")
    run_queued_tasks()
    assert [sms["body"] for sms in twilio.messages] == ["Your event is confirmed"]

    help_reply = _inbound(client, twilio, "HELP", "SM2").content.decode()
    assert "<Message>Night Owl DJs: booking and event messages. Help: +1 555 0100." in help_reply
    assert "Reply STOP to opt out" in help_reply

    _inbound(client, twilio, "START", "SM3")
    assert not OptOut.objects.exists()
    _inbound(client, twilio, " stop ", "SM1")  # a replay of the old STOP: already handled
    assert not OptOut.objects.exists()


def test_an_unsigned_inbound_text_is_refused(twilio, client):
    response = client.post("/webhooks/twilio/sms/", {"MessageSid": "SM9", "From": "+15550102000", "Body": "STOP"})
    assert response.status_code == 403
    assert not OptOut.objects.exists()


def test_other_texts_are_no_keyword(twilio, client):
    reply = _inbound(client, twilio, "Can you stop by at 5?", "SM4")
    assert reply.status_code == 200 and b"<Message>" not in reply.content
    assert not OptOut.objects.exists()


# --- quiet hours -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "end"),
    [
        (dt.datetime(2026, 12, 5, 6, 0, tzinfo=UTC), dt.datetime(2026, 12, 5, 16, 0, tzinfo=UTC)),  # 22:00 in LA
        (dt.datetime(2026, 12, 5, 12, 0, tzinfo=UTC), dt.datetime(2026, 12, 5, 16, 0, tzinfo=UTC)),  # 04:00 in LA
        (dt.datetime(2026, 12, 5, 18, 0, tzinfo=UTC), None),  # 10:00 in LA
        (dt.datetime(2026, 12, 5, 4, 59, tzinfo=UTC), None),  # 20:59 in LA
    ],
)
def test_quiet_hours_end_in_the_recipients_morning(settings, now, end):
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    assert quiet_hours_end(now=now, time_zone="America/Los_Angeles") == end


def test_an_sms_in_quiet_hours_waits_for_the_morning_at_the_venue(settings, twilio, django_capture_on_commit_callbacks):
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    BusinessProfile(name="Night Owl", time_zone="America/New_York").save()
    event = EventFactory(venue=VenueFactory(time_zone="America/Los_Angeles"))
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(channel="sms", to="+15550102000", body="Reminder", event=event)
    assert message.time_zone == "America/Los_Angeles" and message.client == event.client
    late_evening = dt.datetime(2026, 12, 5, 6, 0, tzinfo=UTC)  # 22:00 in Los Angeles (01:00 in New York)
    assert message_send(message_id=message.pk, now=late_evening) == "queued"
    message.refresh_from_db()
    assert message.status == "queued" and message.due_at == dt.datetime(2026, 12, 5, 16, 0, tzinfo=UTC)
    assert not twilio.messages

    assert outbox_dispatch_due(now=dt.datetime(2026, 12, 5, 15, 59, tzinfo=UTC)) == 0
    morning = dt.datetime(2026, 12, 5, 16, 0, tzinfo=UTC)
    assert outbox_dispatch_due(now=morning) == 1
    assert message_send(message_id=message.pk, now=morning) == "sent"
    assert len(twilio.messages) == 1


def test_without_an_event_the_business_time_zone_counts_and_urgent_sms_skip_quiet_hours(settings, twilio):
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    BusinessProfile(name="Night Owl", time_zone="Europe/London").save()
    night_in_london = dt.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    waiting = message_queue(channel="sms", to="+447700900123", body="Newsletter")
    urgent = message_queue(channel="sms", to="+447700900124", body="Code 123456", respect_quiet_hours=False)
    assert waiting.time_zone == "Europe/London"
    assert message_send(message_id=waiting.pk, now=night_in_london) == "queued"
    assert message_send(message_id=urgent.pk, now=night_in_london) == "sent"
    assert OutboxMessage.objects.get(pk=waiting.pk).due_at == dt.datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
