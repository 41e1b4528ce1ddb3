"""SMS through the outbox: sent by the task through the twilio SDK (to a fake Twilio), settled by Twilio's signed
status callbacks; replays deduplicated, late statuses ignored, forged requests refused."""

import datetime as dt

import pytest
from django.utils import timezone

from comms.models import DeliveryEvent, OptOut, OutboxMessage
from comms.services.outbox import OutboxError, message_queue, message_send
from tests.comms.conftest import run_queued_tasks

pytestmark = pytest.mark.django_db


def _queue(capture, **overrides):
    fields = {"channel": "sms", "to": "+1 (555) 010-2000", "body": "Your DJ arrives at 5 pm."}
    with capture(execute=True):
        return message_queue(**(fields | overrides))


def _sent(twilio, capture, **overrides):
    message = _queue(capture, **overrides)
    assert run_queued_tasks() == ["sent"]
    message.refresh_from_db()
    return message


def test_queue_send_and_delivered_by_status_callback(twilio, client, django_capture_on_commit_callbacks):
    message = _sent(twilio, django_capture_on_commit_callbacks)
    [sms] = twilio.messages
    assert (sms["to"], sms["from"], sms["body"]) == ("+15550102000", "+15550001111", "Your DJ arrives at 5 pm.")
    assert sms["_status_callback"] == f"https://djbiz.example.com/webhooks/twilio/status/{message.uuid}/"
    assert (message.status, message.provider, message.provider_id) == ("sent", "twilio", sms["sid"])

    path, data, headers = twilio.status_callback(sms["sid"], "delivered")
    assert client.post(path, data, **headers).status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at is not None


def test_a_replayed_callback_is_stored_once(twilio, client, django_capture_on_commit_callbacks):
    message = _sent(twilio, django_capture_on_commit_callbacks)
    path, data, headers = twilio.status_callback(message.provider_id, "undelivered", ErrorCode="30003")
    for _ in range(3):
        assert client.post(path, data, **headers).status_code == 204  # the signature verifies every time
    assert DeliveryEvent.objects.filter(provider_message_id=message.provider_id).count() == 1
    message.refresh_from_db()
    assert message.status == "failed" and "30003" in message.last_error


def test_statuses_only_move_forward(twilio, client, django_capture_on_commit_callbacks):
    message = _sent(twilio, django_capture_on_commit_callbacks)
    for status in ("delivered", "sent", "queued"):  # Twilio's callbacks arrive out of order
        path, data, headers = twilio.status_callback(message.provider_id, status)
        assert client.post(path, data, **headers).status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered"
    assert dict(DeliveryEvent.objects.values_list("event", "applied")) == {
        "delivered": True,
        "sent": False,
        "queued": False,
    }


def test_a_forged_or_unsigned_callback_is_refused(twilio, client, django_capture_on_commit_callbacks):
    message = _sent(twilio, django_capture_on_commit_callbacks)
    path, data, headers = twilio.status_callback(message.provider_id, "delivered")
    assert client.post(path, data).status_code == 403
    assert client.post(path, data | {"MessageStatus": "failed"}, **headers).status_code == 403  # tampered
    forged = {"HTTP_X_TWILIO_SIGNATURE": "bm90IGEgc2lnbmF0dXJl"}
    assert client.post(path, data, **forged).status_code == 403
    message.refresh_from_db()
    assert message.status == "sent" and not DeliveryEvent.objects.exists()


def test_the_signature_is_checked_against_the_public_url_behind_a_proxy(
    twilio, client, django_capture_on_commit_callbacks
):
    """Twilio called https://djbiz.example.com/...; the proxy forwards plain http to daphne on another host."""
    message = _sent(twilio, django_capture_on_commit_callbacks)
    path, data, headers = twilio.status_callback(message.provider_id, "delivered")
    response = client.post(path, data, **headers, HTTP_HOST="127.0.0.1:8000", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 204
    internal = twilio.signed(f"http://testserver{path}", data)  # signed for the URL daphne sees: not Twilio's
    assert client.post(path, data, **internal).status_code == 403


def test_twilio_5xx_is_retried_and_4xx_fails(twilio, django_capture_on_commit_callbacks):
    retried = _queue(django_capture_on_commit_callbacks)
    twilio.fail_next.append((503, {"code": 20500, "message": "Service unavailable", "status": 503}))
    now = timezone.now()
    assert message_send(message_id=retried.pk, now=now) == "queued"
    assert message_send(message_id=retried.pk, now=now + dt.timedelta(minutes=1)) == "sent"

    failed = _queue(django_capture_on_commit_callbacks, to="+15550102001")
    twilio.fail_next.append((400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}))
    assert run_queued_tasks() == [None, "failed"]  # the first message's own task: sent already, nothing to do
    failed.refresh_from_db()
    assert failed.status == "failed" and "21211" in failed.last_error
    assert len(twilio.messages) == 1


def test_twilio_saying_unsubscribed_records_an_opt_out(twilio, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks, to="+15550000610")
    assert run_queued_tasks() == ["failed"]
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"
    assert OptOut.objects.filter(channel="sms", address="+15550000610", source="provider").exists()


def test_a_number_without_country_code_is_refused(db):
    with pytest.raises(OutboxError, match="international form"):
        message_queue(channel="sms", to="555 010 2000", body="Hi")
    assert not OutboxMessage.objects.exists()
