"""A worker dies between the provider's answer and our save: the message is not sent again.

A real worker process (python running comms.tasks.send_message on the test database) sends to the fake provider,
which takes the message and holds its answer; the test kills the worker with SIGKILL meanwhile. The row is left
in "sending", as after a real crash; the task coming back (q2 is at-least-once) and the sweep must not re-send.
"""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ

from comms.models import OutboxMessage
from comms.services.outbox import message_queue, message_send, outbox_sweep
from tests.comms.conftest import POSTMARK_TOKEN, SITE_URL, TWILIO_SID, TWILIO_TOKEN, WEBHOOK_SECRET, run_queued_tasks

ROOT = Path(__file__).resolve().parents[2]
WORKER = "import sys, django; django.setup(); from comms.tasks import send_message; send_message(int(sys.argv[1]))"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _kill_worker_while_provider_holds_its_answer(fake, message_id: int, **env) -> None:
    fake.hold = True
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(message_id)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_ENV": "test", "DATABASE_URL": _database_url(), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert fake.received.wait(60), worker.stderr.read().decode() if worker.poll() is not None else "no request"
    finally:
        worker.kill()
        worker.wait(30)
    fake.release.set()


def _after_lease(message: OutboxMessage) -> dt.datetime:
    return message.claimed_at + dt.timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS + 1)


@pytest.fixture
def twilio_env(twilio):
    return {
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_FROM": "+15550001111",
        "TWILIO_API_BASE": twilio.url,
        "SITE_URL": SITE_URL,
        "SMS_QUIET_HOURS": "",
    }


def test_sms_taken_by_twilio_before_the_worker_died_is_found_not_resent(transactional_db, twilio, twilio_env):
    message = message_queue(channel="sms", to="+15550102000", body="See you Saturday at 5")
    _kill_worker_while_provider_holds_its_answer(twilio, message.pk, **twilio_env)
    message.refresh_from_db()
    assert (message.status, message.provider_id, message.attempts) == ("sending", "", 1)
    [taken] = twilio.messages

    assert message_send(message_id=message.pk) is None  # q2 hands the task out again: nothing to claim
    assert run_queued_tasks() == [None]
    assert outbox_sweep(now=message.claimed_at + dt.timedelta(seconds=30)) == {"reconciled": 0, "dispatched": 0}
    assert outbox_sweep(now=_after_lease(message)) == {"reconciled": 1, "dispatched": 0}
    message.refresh_from_db()
    assert (message.status, message.provider_id) == ("sent", taken["sid"])
    assert len(twilio.posts()) == 1  # looked up (GET), never sent again


def test_sms_whose_worker_died_before_twilio_took_it_is_sent_once(transactional_db, twilio):
    message = message_queue(channel="sms", to="+15550102000", body="See you Saturday at 5")
    run_queued_tasks()
    twilio.messages.clear()
    claimed = timezone.now() - dt.timedelta(hours=1)  # a worker claimed it an hour ago and vanished
    OutboxMessage.objects.filter(pk=message.pk).update(status="sending", claimed_at=claimed, provider_id="")

    assert outbox_sweep(now=timezone.now()) == {"reconciled": 1, "dispatched": 1}
    assert run_queued_tasks() == ["sent"]
    assert len(twilio.messages) == 1
    assert OutboxMessage.objects.get(pk=message.pk).provider_id == twilio.messages[0]["sid"]


def test_email_taken_before_the_worker_died_waits_for_review_and_the_webhook_settles_it(
    transactional_db, postmark, client, webhook_auth
):
    message = message_queue(channel="email", to="alice@example.com", subject="Your contract", body="Attached.")
    env = {
        "EMAIL_PROVIDER": "postmark",
        "POSTMARK_SERVER_TOKEN": POSTMARK_TOKEN,
        "POSTMARK_API_URL": postmark.url,
        "ANYMAIL_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    _kill_worker_while_provider_holds_its_answer(postmark, message.pk, **env)
    message.refresh_from_db()
    assert message.status == "sending"
    [email] = postmark.emails

    assert run_queued_tasks() == [None]
    assert outbox_sweep(now=_after_lease(message)) == {"reconciled": 1, "dispatched": 0}
    message.refresh_from_db()
    assert message.status == "review"
    assert message.message_id_header in message.last_error
    assert outbox_sweep(now=_after_lease(message) + dt.timedelta(hours=1)) == {"reconciled": 0, "dispatched": 0}
    assert len(postmark.posts()) == 1

    delivered = {
        "RecordType": "Delivery",
        "MessageID": email["MessageID"],
        "DeliveredAt": "2026-12-04T09:01:00Z",
        "Metadata": email["Metadata"],
    }
    response = client.post(
        "/webhooks/anymail/postmark/tracking/", delivered, content_type="application/json", **webhook_auth
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert (message.status, message.provider_id) == ("delivered", email["MessageID"])
    assert len(postmark.posts()) == 1


def test_the_same_text_sent_just_before_is_not_taken_for_the_lost_one(transactional_db, twilio):
    """Two identical reminders to one number: the second's worker died before Twilio took it. Twilio's log shows
    the first one's SID (same text, same number, a minute ago), which another row holds: the second is re-sent."""
    first = message_queue(channel="sms", to="+15550102000", body="Reminder: planning form due")
    second = message_queue(channel="sms", to="+15550102000", body="Reminder: planning form due")
    OrmQ.objects.all().delete()  # run the sends by hand below
    assert message_send(message_id=first.pk) == "sent"
    claimed = timezone.now() - dt.timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS + 1)
    OutboxMessage.objects.filter(pk=second.pk).update(status="sending", claimed_at=claimed, attempts=1)

    assert outbox_sweep(now=timezone.now()) == {"reconciled": 1, "dispatched": 1}
    assert run_queued_tasks() == ["sent"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert len(twilio.messages) == 2
    assert {first.provider_id, second.provider_id} == {message["sid"] for message in twilio.messages}
