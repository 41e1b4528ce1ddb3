"""The portal chat's use cases: a chat message joins the client's one thread beside their e-mails, staff answer it
(in the chat or from the inbox) once, each side's unread messages are counted and marked read, and what may be
written is checked (author, length, pace)."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.models import Conversation, Message, OutboxMessage
from comms.services.chat import (
    ChatError,
    ChatRateLimited,
    chat_mark_read,
    chat_post,
    chat_thread,
    chat_unread_count,
    chat_unread_for_staff,
)
from comms.services.inbound import Incoming, inbound_receive
from comms.services.inbox import reply_dismiss, reply_send
from comms.tasks import triage_inbound
from djbiz.errors import ConflictError
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def business(settings):
    settings.LLM_API_BASE = ""
    BusinessProfile(name="Night Owl DJs", time_zone="America/New_York").save()


def _email_from(client, body="Hello by e-mail", pid="pm-1"):
    return inbound_receive(
        incoming=Incoming(
            channel="email",
            sender=client.email,
            subject="Our wedding",
            body=body,
            received_at=timezone.now() - dt.timedelta(minutes=5),
            provider="postmark",
            provider_message_id=pid,
        )
    )


def test_a_client_message_joins_their_thread_beside_their_emails(client_a, event_a):
    email = _email_from(client_a)
    message = chat_post(client=client_a, author=client_a.user, body="  Can we add a sax player?\r\nThanks!  ")

    assert Conversation.objects.count() == 1
    assert message.conversation == email.conversation
    assert (message.direction, message.channel, message.body) == ("in", "chat", "Can we add a sax player?\nThanks!")
    assert (message.triage_status, message.reply_status) == ("new", "open")  # triaged and answered like e-mail
    assert (message.sender, message.sender_name) == ("alice@example.com", "Alice & Alex")
    lines = chat_thread(client=client_a)
    assert [(line.channel_label, line.direction, line.name) for line in lines] == [
        ("E-mail", "in", "Alice & Alex"),
        ("Chat", "in", "Alice & Alex"),
    ]
    assert lines[0].subject == "Our wedding"


def test_the_first_message_opens_a_thread_tied_to_the_clients_next_event(client_a, event_a):
    message = chat_post(client=client_a, author=client_a.user, body="Hi!")
    assert message.conversation.event == event_a
    assert message.conversation.last_message_at == message.received_at


def test_a_staff_reply_answers_the_open_messages_and_marks_them_read(client_a, staff_dj):
    email = _email_from(client_a)
    question = chat_post(client=client_a, author=client_a.user, body="Is the 14th free?")
    assert chat_unread_count(client=client_a, side="staff") == 2

    reply = chat_post(client=client_a, author=staff_dj, body="It is!")

    assert (reply.direction, reply.channel, reply.sender_name) == ("out", "chat", "Dana")
    assert reply.triage_status == "none" and reply.reply_status == "none"
    for message in (email, question):
        message.refresh_from_db()
        assert message.reply_status == "replied" and message.read_at is not None
    assert chat_unread_count(client=client_a, side="staff") == 0
    assert chat_unread_count(client=client_a, side="client") == 1
    assert not OutboxMessage.objects.filter(channel="email", to=client_a.email).exists()  # the reply itself: chat


def test_each_side_reads_up_to_the_message_its_page_shows(client_a, staff_dj):
    first = chat_post(client=client_a, author=staff_dj, body="One")
    second = chat_post(client=client_a, author=staff_dj, body="Two")
    assert chat_unread_count(client=client_a, side="client") == 2

    assert chat_mark_read(client=client_a, side="client", up_to=first.pk) == 1
    assert chat_unread_count(client=client_a, side="client") == 1
    assert chat_mark_read(client=client_a, side="client", up_to=first.pk) == 0  # once
    assert chat_mark_read(client=client_a, side="staff", up_to=second.pk) == 0  # staff's own messages
    assert chat_mark_read(client=client_a, side="client", up_to=second.pk) == 1
    assert [line.read for line in chat_thread(client=client_a)] == [True, True]


def test_the_client_counts_unread_chat_messages_only(client_a, staff_dj):
    """An e-mail reply reached the client in their mailbox: it is in the thread, not in the unread badge."""
    inbound = _email_from(client_a)
    reply_send(message_id=inbound.pk, body="Thanks, we'll call you.", actor=staff_dj)
    assert chat_unread_count(client=client_a, side="client") == 0
    chat_post(client=client_a, author=staff_dj, body="Also: the 14th is free.")
    assert chat_unread_count(client=client_a, side="client") == 1


def test_staff_count_every_clients_unread_messages(client_a, client_b):
    chat_post(client=client_a, author=client_a.user, body="Hi from A")
    chat_post(client=client_b, author=client_b.user, body="Hi from B")
    _email_from(client_b, pid="pm-2")
    assert chat_unread_for_staff() == 3


def test_the_inbox_answers_a_chat_message_in_the_chat_once(client_a, staff_dj, django_capture_on_commit_callbacks):
    question = chat_post(client=client_a, author=client_a.user, body="Are you free on June 12, 2027? 120 guests.")
    triage_inbound()
    question.refresh_from_db()
    assert question.triage_status == "done" and question.draft

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply = reply_send(message_id=question.pk, body=question.draft, actor=staff_dj)

    assert (reply.channel, reply.outbox, reply.sender_name, reply.in_reply_to) == ("chat", None, "Dana", question)
    assert callbacks  # the reply goes to both pages and gets its notice check, like any chat message
    with pytest.raises(ConflictError):
        reply_send(message_id=question.pk, body="Again", actor=staff_dj)
    assert Message.objects.filter(direction="out").count() == 1


def test_a_chat_answer_closes_the_inbox_draft(client_a, staff_dj):
    question = chat_post(client=client_a, author=client_a.user, body="What do you charge?")
    triage_inbound()
    chat_post(client=client_a, author=staff_dj, body="Our Gold package is $2,500.")
    with pytest.raises(ConflictError):
        reply_send(message_id=question.pk, body="Drafted answer", actor=staff_dj)
    assert Message.objects.filter(direction="out").count() == 1


def test_a_client_writes_only_in_their_own_thread(client_a, client_b):
    with pytest.raises(ChatError, match="your own conversation"):
        chat_post(client=client_b, author=client_a.user, body="Hi Bea")
    assert not Message.objects.exists()


def test_a_client_without_a_portal_login_has_no_chat(staff_dj):
    client = ClientFactory(user=None)
    with pytest.raises(ChatError, match="no portal login"):
        chat_post(client=client, author=staff_dj, body="Hello")


@pytest.mark.parametrize(
    ("body", "error"),
    [("", "Write a message first."), (" \n\t ", "Write a message first."), ("x" * 2001, "2,001 characters")],
)
def test_an_empty_or_too_long_message_is_refused(client_a, body, error):
    with pytest.raises(ChatError, match=error):
        chat_post(client=client_a, author=client_a.user, body=body)
    assert not Message.objects.exists()


def test_control_characters_are_dropped_and_markup_is_kept_as_text(client_a):
    message = chat_post(client=client_a, author=client_a.user, body="<b>bold</b>\x00\x1b[31m\ttab")
    assert message.body == "<b>bold</b>[31m\ttab"


def test_sending_faster_than_the_limit_is_refused(settings, client_a, staff_dj):
    settings.CHAT_RATE_PER_MINUTE = 3
    for n in range(3):
        chat_post(client=client_a, author=client_a.user, body=f"Message {n}")
    with pytest.raises(ChatRateLimited) as refused:
        chat_post(client=client_a, author=client_a.user, body="One too many")
    assert refused.value.http_status == 429
    chat_post(client=client_a, author=staff_dj, body="Staff have their own count")
    assert Message.objects.count() == 4


def test_dismissing_a_message_reads_it(client_a):
    message = chat_post(client=client_a, author=client_a.user, body="Thanks!")
    assert reply_dismiss(message_id=message.pk)
    assert chat_unread_count(client=client_a, side="staff") == 0
