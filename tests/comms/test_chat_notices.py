"""Notices of unread chat messages: the side a message was sent to gets one e-mail (or text) with a link when it is
away, or when the message is still unread after the grace period; several messages before they read make one
notice, a task run twice queues nothing more, and a message read in time brings none."""

import datetime as dt

import pytest
from django.utils import timezone
from django_q.models import OrmQ, Schedule

from accounts.models import BusinessProfile
from comms.models import ChatPresence, OutboxMessage
from comms.services.chat import chat_mark_read, chat_post
from comms.services.chat_notices import chat_notice_send, chat_notice_sweep
from comms.services.chat_presence import presence_join, presence_touch, side_online
from comms.services.consent import opt_out_record
from comms.services.inbound import Incoming, inbound_receive
from tests.comms.conftest import run_queued_tasks
from tests.factories import ClientFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
SITE = "https://djbiz.example.com"
GRACE = dt.timedelta(seconds=120)


@pytest.fixture(autouse=True)
def business(settings):
    settings.SITE_URL = SITE
    settings.CHAT_NOTIFY_AFTER_SECONDS = 120
    settings.LLM_API_BASE = ""
    BusinessProfile(name="Night Owl DJs", email="hello@nightowl.example").save()


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """post(client, author, body) -> the message, with what it does after commit done (the notice planned)."""

    def write(client, author, body="Hello"):
        with django_capture_on_commit_callbacks(execute=True):
            return chat_post(client=client, author=author, body=body)

    return write


def _planned_now() -> list[int]:
    return [entry.task["args"][0] for entry in OrmQ.objects.order_by("id") if entry.task["func"].endswith("notice")]


def _notices():
    return OutboxMessage.objects.filter(idempotency_key__startswith="chat-notice:").order_by("pk")


def test_an_away_client_gets_one_email_at_once_with_a_link(post, client_a, staff_dj):
    message = post(client_a, staff_dj, "The 14th is free. Shall I hold it for you?")
    assert _planned_now() == [message.pk]
    assert not Schedule.objects.filter(name__startswith="chat-notice").exists()

    run_queued_tasks()

    [notice] = _notices()
    assert (notice.channel, notice.to, notice.purpose) == ("email", client_a.email, "transactional")
    assert notice.subject == "New message from Night Owl DJs"
    assert "Dana from Night Owl DJs sent you a message" in notice.body
    assert "“The 14th is free. Shall I hold it for you?”" in notice.body
    assert f"Read and reply: {SITE}/portal/chat/" in notice.body
    assert f'href="{SITE}/portal/chat/"' in notice.html
    assert (notice.client, notice.idempotency_key) == (client_a, f"chat-notice:{message.pk}")


def test_messages_sent_before_the_client_reads_bring_one_notice(post, client_a, staff_dj):
    first = post(client_a, staff_dj, "One")
    post(client_a, staff_dj, "Two")
    third = post(client_a, staff_dj, "Three")
    run_queued_tasks()  # three tasks

    [notice] = _notices()
    assert "You have 3 new messages from Night Owl DJs" in notice.body and "“Three”" in notice.body
    assert chat_notice_send(message_id=first.pk) == notice  # a task run again: the same notice

    chat_mark_read(client=client_a, side="client", up_to=third.pk)
    post(client_a, staff_dj, "Four, after you read the others")
    run_queued_tasks()
    assert _notices().count() == 2  # a new unread streak


def test_a_client_with_the_chat_open_has_the_grace_period_to_read(post, client_a, staff_dj):
    presence_join(client_id=client_a.pk, side="client")
    message = post(client_a, staff_dj, "Are you there?")

    assert _planned_now() == []
    planned = Schedule.objects.get(name=f"chat-notice-{message.pk}")
    assert (planned.func, planned.args, planned.schedule_type) == (
        "comms.tasks.send_chat_notice",
        f"({message.pk},)",
        "O",
    )
    assert planned.next_run == message.received_at + GRACE
    assert chat_notice_send(message_id=message.pk, now=message.received_at + dt.timedelta(seconds=30)) is None

    notice = chat_notice_send(message_id=message.pk, now=message.received_at + GRACE)  # open but unread: a notice
    assert notice is not None and notice.to == client_a.email


def test_a_message_read_in_time_brings_no_notice(post, client_a, staff_dj):
    presence_join(client_id=client_a.pk, side="client")
    message = post(client_a, staff_dj, "Quick question")
    chat_mark_read(client=client_a, side="client", up_to=message.pk)
    assert chat_notice_send(message_id=message.pk, now=message.received_at + GRACE) is None
    assert not _notices().exists()


def test_presence_of_a_socket_whose_process_died_runs_out(post, client_a, staff_dj, settings):
    presence_join(client_id=client_a.pk, side="client")
    ChatPresence.objects.update(seen_at=ChatPresence.objects.get().seen_at - dt.timedelta(minutes=5))
    message = post(client_a, staff_dj, "Hello?")
    assert _planned_now() == [message.pk]  # away: checked at once


def test_a_client_known_by_phone_only_gets_a_text_unless_they_said_stop(post, staff_dj):
    client = ClientFactory(email="", phone="+1 (555) 010-2000", user=UserFactory(email="gus@example.com"))
    first = post(client, staff_dj, "Your playlist is ready")
    run_queued_tasks()
    [text] = _notices()
    assert (text.channel, text.to, text.respect_quiet_hours) == ("sms", "+15550102000", True)
    assert (
        text.body == f"Night Owl DJs: you have a new message in your client portal. Read and reply: {SITE}/portal/chat/"
    )

    opt_out_record(channel="sms", address="+15550102000", source="keyword")
    chat_mark_read(client=client, side="client", up_to=first.pk)
    post(client, staff_dj, "One more thing")
    run_queued_tasks()
    assert _notices().last().channel == "email" and _notices().last().to == "gus@example.com"


def test_staff_away_hear_of_a_clients_message_through_the_lead_dj(post, client_a, event_a):
    lead = UserFactory(role="staff", email="lead@example.com")
    StaffAssignmentFactory(event=event_a, staff=UserFactory(role="staff", email="second@example.com"), role="second_dj")
    StaffAssignmentFactory(event=event_a, staff=lead, role="lead_dj")
    message = post(client_a, client_a.user, "Can we move the first dance to 8pm?")
    run_queued_tasks()

    [notice] = _notices()
    assert (notice.channel, notice.to, notice.subject) == (
        "email",
        "lead@example.com",
        "New chat message from Alice & Alex",
    )
    assert "“Can we move the first dance to 8pm?”" in notice.body
    assert f"Reply: {SITE}/inbox/clients/{client_a.uuid}/chat/" in notice.body
    assert notice.client is None and notice.event is None  # not a message to the client
    assert notice.idempotency_key == f"chat-notice:{message.pk}"


def test_without_a_dj_the_business_address_then_the_owner_hears_of_it(post, client_a, owner):
    first = post(client_a, client_a.user, "Hi")
    run_queued_tasks()
    assert _notices().last().to == "hello@nightowl.example"

    BusinessProfile.objects.update(email="")
    chat_mark_read(client=client_a, side="staff", up_to=first.pk)
    post(client_a, client_a.user, "Hi again")
    run_queued_tasks()
    assert _notices().last().to == owner.email


def test_staff_reading_the_thread_in_time_get_no_notice(post, client_a, staff_dj):
    presence_join(client_id=client_a.pk, side="staff")
    message = post(client_a, client_a.user, "Hello!")
    chat_mark_read(client=client_a, side="staff", up_to=message.pk)
    assert chat_notice_send(message_id=message.pk, now=message.received_at + GRACE) is None


def test_an_email_from_the_client_plans_no_chat_notice(client_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = inbound_receive(
            incoming=Incoming(
                channel="email",
                sender=client_a.email,
                subject="Hi",
                body="By e-mail",
                received_at=timezone.now(),
                provider="postmark",
                provider_message_id="pm-1",
            )
        )
    assert message.conversation.client == client_a
    assert _planned_now() == [] and not Schedule.objects.exists()
    assert chat_notice_send(message_id=message.pk) is None


def test_a_heartbeat_keeps_an_open_chat_present(client_a):
    connection = presence_join(client_id=client_a.pk, side="client")
    ChatPresence.objects.update(seen_at=timezone.now() - dt.timedelta(minutes=5))
    assert not side_online(client_id=client_a.pk, side="client")
    presence_touch(connection=connection, client_id=client_a.pk, side="client")
    assert side_online(client_id=client_a.pk, side="client")

    ChatPresence.objects.all().delete()  # cleared by another socket's join while this one was silent
    presence_touch(connection=connection, client_id=client_a.pk, side="client")
    assert side_online(client_id=client_a.pk, side="client")
    assert not side_online(client_id=client_a.pk, side="staff")


def test_a_notice_never_planned_is_caught_by_the_sweep_once(client_a, staff_dj, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the process died before planning the check
        message = chat_post(client=client_a, author=staff_dj, body="Is the 14th still good?")
    assert _planned_now() == []
    assert chat_notice_sweep(now=message.received_at + GRACE) == 0  # the planned check would still come first

    later = message.received_at + GRACE + dt.timedelta(minutes=3)
    assert chat_notice_sweep(now=later) == 1
    [notice] = _notices()
    assert (notice.to, notice.idempotency_key) == (client_a.email, f"chat-notice:{message.pk}")
    assert chat_notice_sweep(now=later + dt.timedelta(minutes=5)) == 0
    assert _notices().count() == 1


def test_the_sweep_leaves_read_and_day_old_messages(client_a, staff_dj, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        read = chat_post(client=client_a, author=staff_dj, body="First")
    chat_mark_read(client=client_a, side="client", up_to=read.pk)
    assert chat_notice_sweep(now=read.received_at + dt.timedelta(minutes=10)) == 0
    with django_capture_on_commit_callbacks(execute=False):
        old = chat_post(client=client_a, author=staff_dj, body="Second")
    assert chat_notice_sweep(now=old.received_at + dt.timedelta(days=1, minutes=1)) == 0
    assert not _notices().exists()
