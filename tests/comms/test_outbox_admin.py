"""The outbox in the admin: filter, search, retry what failed, settle what is under review."""

import pytest
from django.urls import reverse
from django_q.models import OrmQ

from comms.models import OutboxMessage
from tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:comms_outboxmessage_changelist")


def test_filters_and_search(client, owner):
    OutboxMessageFactory(to="alice@example.com", subject="Quote", status="failed")
    OutboxMessageFactory(channel="sms", to="+15550102000", body="Reminder", status="delivered")
    client.force_login(owner)
    failed = client.get(CHANGELIST, {"status__exact": "failed"}).context["cl"].result_list
    assert [message.to for message in failed] == ["alice@example.com"]
    sms = client.get(CHANGELIST, {"channel__exact": "sms"}).context["cl"].result_list
    assert [message.to for message in sms] == ["+15550102000"]
    found = client.get(CHANGELIST, {"q": "Quote"}).context["cl"].result_list
    assert [message.to for message in found] == ["alice@example.com"]


def test_retry_queues_failed_messages_again_and_skips_the_rest(client, owner, django_capture_on_commit_callbacks):
    failed = OutboxMessageFactory(status="failed", attempts=6, last_error="503")
    delivered = OutboxMessageFactory(status="delivered")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "retry", "_selected_action": [failed.pk, delivered.pk]}, follow=True
        )
    assert "1 message(s) queued again." in response.content.decode()
    assert "1 skipped" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0)
    assert OutboxMessage.objects.get(pk=delivered.pk).status == "delivered"
    assert [entry.task["args"] for entry in OrmQ.objects.all()] == [(failed.pk,)]


def test_mark_sent_settles_a_message_under_review(client, owner):
    review = OutboxMessageFactory(status="review", last_error="worker stopped")
    client.force_login(owner)
    client.post(CHANGELIST, {"action": "mark_sent", "_selected_action": [review.pk]})
    review.refresh_from_db()
    assert (review.status, review.last_error) == ("sent", "")


def test_clients_cannot_see_the_outbox(client, client_a):
    OutboxMessageFactory()
    client.force_login(client_a.user)
    assert client.get(CHANGELIST).status_code in (302, 403)


def test_setup_schedules_declares_the_outbox_sweep_every_minute():
    from django.core.management import call_command
    from django_q.models import Schedule

    call_command("setup_schedules")
    sweep = Schedule.objects.get(name="djbiz:comms.outbox_sweep")
    assert (sweep.func, sweep.schedule_type, sweep.minutes) == ("comms.tasks.sweep_outbox", "I", 1)
