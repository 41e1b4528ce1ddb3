"""comms 0002 turns the record of sent messages into the outbox: every old SentMessage becomes a sent row."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE, AFTER = [("comms", "0001_initial")], [("comms", "0002_outbox")]


@pytest.fixture
def back_to_latest():
    """Later tests need every migration applied again (comms has more after 0002)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_sent_messages_become_sent_outbox_rows():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    sent_at = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    SentMessage = old_apps.get_model("comms", "SentMessage")
    SentMessage.objects.create(channel="email", to="a@example.com", subject="Hi", body="Hello", backend="console")
    SentMessage.objects.create(channel="sms", to="+15550102000", body="Soon", backend="console")
    SentMessage.objects.update(created_at=sent_at)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    OutboxMessage = executor.loader.project_state(AFTER).apps.get_model("comms", "OutboxMessage")
    rows = OutboxMessage.objects.order_by("channel").values_list(
        "channel", "to", "subject", "body", "status", "sent_at"
    )
    assert list(rows) == [
        ("email", "a@example.com", "Hi", "Hello", "sent", sent_at),
        ("sms", "+15550102000", "", "Soon", "sent", sent_at),
    ]
    assert len(set(OutboxMessage.objects.values_list("uuid", flat=True))) == 2
    # Leave the schema as the other tests expect it: comms' later migrations applied again.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
