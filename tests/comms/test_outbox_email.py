"""E-mail through the outbox: queued as a row, sent by the task through anymail's Postmark backend (to a fake
Postmark), settled by Postmark's webhooks; retries with backoff on 5xx, failure on 4xx."""

import datetime as dt
import json

import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from comms.models import DeliveryEvent, OutboxMessage, Purpose
from comms.services.outbox import OutboxError, message_queue, message_send, retry_delay
from tests.comms.conftest import run_queued_tasks

pytestmark = pytest.mark.django_db

TRACKING_URL = "/webhooks/anymail/postmark/tracking/"


def _queue(capture, **overrides):
    fields = {"channel": "email", "to": "Alice@Example.com", "subject": "Your quote", "body": "Hello Alice"}
    with capture(execute=True):
        return message_queue(**(fields | overrides))


def _postmark_event(client, auth, **event):
    return client.post(TRACKING_URL, data=json.dumps(event), content_type="application/json", **auth)


def test_queue_send_and_delivered_by_webhook(postmark, client, webhook_auth, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks)
    assert message.status == "queued" and message.to == "alice@example.com"
    assert not postmark.emails  # nothing goes out before the worker runs

    assert run_queued_tasks() == ["sent"]
    [email] = postmark.emails
    assert email["To"] == "alice@example.com" and email["Subject"] == "Your quote"
    assert email["Metadata"] == {"outbox_id": str(message.uuid)}
    headers = {header["Name"]: header["Value"] for header in email["Headers"]}
    assert headers["Message-ID"] == message.message_id_header == f"<{message.uuid}@djbiz.local>"
    message.refresh_from_db()
    assert (message.status, message.provider, message.provider_id, message.attempts) == (
        "sent",
        "postmark",
        email["MessageID"],
        1,
    )

    response = _postmark_event(
        client,
        webhook_auth,
        RecordType="Delivery",
        MessageID=email["MessageID"],
        Recipient="alice@example.com",
        DeliveredAt="2026-12-04T09:01:00Z",
        Metadata={"outbox_id": str(message.uuid)},
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "delivered"
    assert message.delivered_at == dt.datetime(2026, 12, 4, 9, 1, tzinfo=dt.UTC)

    opened = {"RecordType": "Open", "MessageID": email["MessageID"], "ReceivedAt": "2026-12-04T10:00:00Z"}
    assert _postmark_event(client, webhook_auth, **opened).status_code == 200
    message.refresh_from_db()
    assert message.opened_at == dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC) and message.status == "delivered"


def test_running_the_task_twice_sends_once(postmark, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks)
    assert message_send(message_id=message.pk) == "sent"
    assert message_send(message_id=message.pk) is None
    assert run_queued_tasks() == [None]  # the enqueued task finds the message sent already
    assert len(postmark.emails) == 1


def test_a_provider_5xx_is_retried_with_exponential_backoff_then_fails(
    postmark, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    message = _queue(django_capture_on_commit_callbacks)
    postmark.fail_next += [(503, {"ErrorCode": 100, "Message": "Maintenance"})] * 3
    now = timezone.now()

    assert message_send(message_id=message.pk, now=now) == "queued"
    message.refresh_from_db()
    assert 30 <= (message.due_at - now).total_seconds() <= 33
    assert "503" in message.last_error
    assert message_send(message_id=message.pk, now=now + dt.timedelta(seconds=20)) is None  # not due yet

    now = message.due_at
    assert message_send(message_id=message.pk, now=now) == "queued"
    message.refresh_from_db()
    assert 120 <= (message.due_at - now).total_seconds() <= 132  # x4

    assert message_send(message_id=message.pk, now=message.due_at) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert len(postmark.posts()) == 3 and not postmark.emails


def test_a_retry_after_a_5xx_goes_through(postmark, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks)
    postmark.fail_next.append((500, {"ErrorCode": 0, "Message": "Oops"}))
    now = timezone.now()
    assert message_send(message_id=message.pk, now=now) == "queued"
    assert message_send(message_id=message.pk, now=now + dt.timedelta(minutes=1)) == "sent"
    assert len(postmark.emails) == 1


def test_a_refused_recipient_fails_at_once(postmark, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks, to="nobody@invalid.example")
    assert run_queued_tasks() == ["failed"]
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 1
    assert "refused" in message.last_error
    assert len(postmark.posts()) == 1


def test_a_provider_4xx_fails_without_retry(postmark, django_capture_on_commit_callbacks):
    postmark.fail_next.append((401, {"ErrorCode": 10, "Message": "Bad token"}))
    message = _queue(django_capture_on_commit_callbacks)
    assert run_queued_tasks() == ["failed"]
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"


def test_a_provider_that_cannot_be_reached_is_retried(settings, postmark, django_capture_on_commit_callbacks):
    settings.ANYMAIL = settings.ANYMAIL | {"POSTMARK_API_URL": "http://127.0.0.1:9/"}  # nothing listens there
    message = _queue(django_capture_on_commit_callbacks)
    assert run_queued_tasks() == ["queued"]
    assert "could not be reached" in OutboxMessage.objects.get(pk=message.pk).last_error


def test_backoff_grows_four_times_per_attempt(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    for attempts, base in [(1, 10), (2, 40), (3, 160), (4, 640)]:
        assert base <= retry_delay(attempts).total_seconds() <= base * 1.1


def test_the_same_idempotency_key_queues_one_message(postmark, django_capture_on_commit_callbacks):
    first = _queue(django_capture_on_commit_callbacks, idempotency_key="quote-42-sent")
    second = _queue(django_capture_on_commit_callbacks, idempotency_key="quote-42-sent", body="Other text")
    assert first.pk == second.pk and OutboxMessage.objects.count() == 1
    run_queued_tasks()
    assert len(postmark.emails) == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [({"to": "not-an-address"}, "is not an e-mail address"), ({"body": "  "}, "no text")],
)
def test_bad_input_is_refused_and_leaves_nothing(fields, error, django_capture_on_commit_callbacks):
    with pytest.raises(OutboxError, match=error):
        _queue(django_capture_on_commit_callbacks, **fields)
    assert not OutboxMessage.objects.exists()


def test_send_mail_anywhere_goes_through_the_outbox(settings, postmark, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "comms.backends.OutboxEmailBackend"  # Django's test runner swaps in locmem
    with django_capture_on_commit_callbacks(execute=True):
        email = EmailMultiAlternatives("Login link", "Click it", to=["a@example.com", "b@example.com"])
        email.attach_alternative("<p>Click it</p>", "text/html")
        email.reply_to = ["owner@example.com"]
        assert email.send() == 2
    rows = OutboxMessage.objects.order_by("to")
    assert [(row.to, row.purpose, row.html, row.headers) for row in rows] == [
        ("a@example.com", "transactional", "<p>Click it</p>", {"Reply-To": "owner@example.com"}),
        ("b@example.com", "transactional", "<p>Click it</p>", {"Reply-To": "owner@example.com"}),
    ]
    run_queued_tasks()
    assert sorted(email["To"] for email in postmark.emails) == ["a@example.com", "b@example.com"]
    assert postmark.emails[0]["HtmlBody"] == "<p>Click it</p>"


def test_the_magic_link_is_queued_and_delivered(settings, postmark, client_a, django_capture_on_commit_callbacks):
    from accounts.services import magic_link_send

    settings.EMAIL_BACKEND = "comms.backends.OutboxEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        magic_link_send(ip="192.0.2.1", email="alice@example.com")
    run_queued_tasks()
    [email] = postmark.emails
    assert email["To"] == "alice@example.com" and "/accounts/magic/" in email["TextBody"]
    assert OutboxMessage.objects.get().status == "sent"


def test_marketing_mail_carries_one_click_unsubscribe(postmark, django_capture_on_commit_callbacks):
    message = _queue(
        django_capture_on_commit_callbacks, purpose=Purpose.MARKETING, html="<html><body><p>Offer</p></body></html>"
    )
    run_queued_tasks()
    [email] = postmark.emails
    headers = {header["Name"]: header["Value"] for header in email["Headers"]}
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://127.0.0.1:8000/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe: {link}" in email["TextBody"]
    assert f'<a href="{link}">Unsubscribe</a></p></body>' in email["HtmlBody"]
    assert message.purpose == "marketing"


def test_a_transactional_mail_has_no_unsubscribe_header(postmark, django_capture_on_commit_callbacks):
    _queue(django_capture_on_commit_callbacks)
    run_queued_tasks()
    names = {header["Name"] for header in postmark.emails[0]["Headers"]}
    assert "List-Unsubscribe" not in names


def test_the_webhook_needs_the_secret(postmark, client, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks)
    run_queued_tasks()
    message.refresh_from_db()
    event = {"RecordType": "Delivery", "MessageID": message.provider_id, "DeliveredAt": "2026-12-04T09:01:00Z"}
    wrong = {"HTTP_AUTHORIZATION": "Basic " + "d3Jvbmc6c2VjcmV0"}  # wrong:secret
    assert _postmark_event(client, wrong, **event).status_code == 400
    assert _postmark_event(client, {}, **event).status_code == 400
    message.refresh_from_db()
    assert message.status == "sent" and not DeliveryEvent.objects.exists()


def test_webhook_repeats_are_stored_once_and_late_events_do_not_go_back(
    postmark, client, webhook_auth, django_capture_on_commit_callbacks
):
    message = _queue(django_capture_on_commit_callbacks)
    run_queued_tasks()
    message.refresh_from_db()
    bounce = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "ID": 42,
        "MessageID": message.provider_id,
        "Email": "alice@example.com",
        "BouncedAt": "2026-12-04T09:02:00Z",
    }
    for _ in range(2):
        assert _postmark_event(client, webhook_auth, **bounce).status_code == 200
    late_delivery = {"RecordType": "Delivery", "MessageID": message.provider_id, "DeliveredAt": "2026-12-04T09:01:00Z"}
    assert _postmark_event(client, webhook_auth, **late_delivery).status_code == 200
    message.refresh_from_db()
    assert message.status == "bounced" and message.delivered_at is None
    assert list(DeliveryEvent.objects.order_by("id").values_list("event", "applied")) == [
        ("bounced", True),
        ("delivered", False),
    ]


def test_a_provider_that_takes_the_mail_but_never_answers_is_not_sent_again(
    postmark, settings, django_capture_on_commit_callbacks
):
    """A read timeout: Postmark may have the message. It is not retried blindly but reconciled (review)."""
    from comms.services.outbox import outbox_sweep

    settings.ANYMAIL = settings.ANYMAIL | {"REQUESTS_TIMEOUT": 0.5}
    message = _queue(django_capture_on_commit_callbacks)
    postmark.hold = True
    assert run_queued_tasks() == ["sending"]
    postmark.release.set()
    message.refresh_from_db()
    assert message.status == "sending" and "did not answer" in message.last_error
    after_lease = message.claimed_at + dt.timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS + 1)
    assert outbox_sweep(now=after_lease) == {"reconciled": 1, "dispatched": 0}
    assert OutboxMessage.objects.get(pk=message.pk).status == "review"
    assert len(postmark.posts()) == 1
