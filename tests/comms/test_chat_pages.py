"""The chat pages without JavaScript: the client's /portal/chat/ and staff's view of a client's thread show the
whole thread with each message's channel, mark it read, take a message by a plain POST (CSRF-protected), say
what was refused, and show nobody else's thread; the header counts unread messages; the inbox links the thread."""

import datetime as dt
import re

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.models import Message
from comms.services.chat import chat_post
from comms.services.inbound import Incoming, inbound_receive

pytestmark = pytest.mark.django_db
CHAT = reverse("comms:portal-chat")


@pytest.fixture(autouse=True)
def business(settings):
    settings.LLM_API_BASE = ""
    BusinessProfile(name="Night Owl DJs").save()


def _staff_chat(client) -> str:
    return reverse("comms:staff-chat", args=[client.uuid])


def _badge(html: str) -> str | None:
    """The header's unread count, None when the badge is hidden."""
    match = re.search(r'<span class="nav-badge" data-chat-unread( hidden)?><span data-chat-unread-count>(\d+)', html)
    assert match, "no unread badge in the header"
    return None if match.group(1) else match.group(2)


def test_the_client_sees_their_thread_with_each_channel_and_reads_it(client, client_a, staff_dj):
    inbound_receive(
        incoming=Incoming(
            channel="email",
            sender=client_a.email,
            subject="Our wedding",
            body="Sent by e-mail",
            received_at=timezone.now() - dt.timedelta(hours=1),
            provider="postmark",
            provider_message_id="pm-1",
        )
    )
    chat_post(client=client_a, author=staff_dj, body="Hi! Answering here in the chat.")
    client.force_login(client_a.user)
    assert _badge(client.get(reverse("events:portal")).content.decode()) == "1"

    html = client.get(CHAT).content.decode()

    assert html.index("Sent by e-mail") < html.index("Answering here in the chat.")
    assert '<span class="chat-line__channel">E-mail</span>' in html
    assert '<span class="chat-line__channel">Chat</span>' in html
    assert '<span class="chat-line__name">You</span>' in html and '<span class="chat-line__name">Dana</span>' in html
    assert _badge(html) is None  # read by opening it
    assert Message.objects.get(direction="out").read_at is not None
    assert 'data-socket="/ws/chat/"' in html


def test_a_client_sees_only_their_own_thread(client, client_a, client_b):
    chat_post(client=client_a, author=client_a.user, body="Alice's secret plan")
    client.force_login(client_b.user)
    html = client.get(CHAT).content.decode()
    assert "Alice's secret plan" not in html and "No messages yet." in html
    assert client.get(_staff_chat(client_a)).status_code == 404


def test_a_plain_post_sends_and_shows_the_message_after_the_redirect(client, client_a):
    client.force_login(client_a.user)
    response = client.post(CHAT, {"body": "Can we add a <b>sax</b> player?"})
    assert response.status_code == 302 and response["Location"] == f"{CHAT}#chat-end"
    message = Message.objects.get()
    assert (message.channel, message.direction, message.body) == ("chat", "in", "Can we add a <b>sax</b> player?")
    html = client.get(CHAT).content.decode()
    assert "Can we add a &lt;b&gt;sax&lt;/b&gt; player?" in html and "<b>sax</b>" not in html


def test_a_refused_message_is_explained_and_kept_in_the_box(client, client_a, settings):
    settings.CHAT_MAX_LENGTH = 10
    client.force_login(client_a.user)
    response = client.post(CHAT, {"body": "Far too long a message"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "That message is 22 characters long; the limit is 10." in html
    assert ">Far too long a message</textarea>" in html
    assert not Message.objects.exists()


def test_posting_too_fast_is_a_429(client, client_a, settings):
    settings.CHAT_RATE_PER_MINUTE = 2
    client.force_login(client_a.user)
    assert [client.post(CHAT, {"body": f"Message {n}"}).status_code for n in range(3)] == [302, 302, 429]
    assert Message.objects.count() == 2


def test_posting_needs_the_csrf_token(client_a):
    browser = BrowserClient(enforce_csrf_checks=True)
    browser.force_login(client_a.user)
    assert browser.post(CHAT, {"body": "Hi"}).status_code == 403
    assert not Message.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_and_staff_to_the_inbox(client, staff_dj):
    assert client.get(CHAT)["Location"].startswith(reverse("accounts:login"))
    client.force_login(staff_dj)
    assert client.get(CHAT)["Location"] == reverse("comms:inbox")


def test_staff_answer_from_the_clients_thread(client, client_a, staff_dj):
    chat_post(client=client_a, author=client_a.user, body="Is the 14th free?")
    client.force_login(staff_dj)
    assert _badge(client.get(reverse("comms:inbox")).content.decode()) == "1"

    html = client.get(_staff_chat(client_a)).content.decode()
    assert "Is the 14th free?" in html and "Alice &amp; Alex" in html
    assert _badge(html) is None
    assert f'data-socket="/ws/chat/{client_a.uuid}/"' in html

    response = client.post(_staff_chat(client_a), {"body": "It is!"})
    assert response.status_code == 302
    reply = Message.objects.get(direction="out")
    assert (reply.channel, reply.sender_name) == ("chat", "Dana")
    assert Message.objects.get(direction="in").reply_status == "replied"


def test_the_staff_thread_is_for_staff_only(client, client_a, event_a):
    assert client.get(_staff_chat(client_a)).status_code == 302  # to the login
    client.force_login(client_a.user)
    assert client.get(_staff_chat(client_a)).status_code == 404


def test_the_inbox_counts_a_clients_unread_messages_and_links_the_thread(client, client_a, staff_dj):
    chat_post(client=client_a, author=client_a.user, body="Hello there")
    chat_post(client=client_a, author=client_a.user, body="Anyone?")
    client.force_login(staff_dj)
    html = client.get(reverse("comms:inbox")).content.decode()
    assert '<span class="badge badge--unread">2 unread</span>' in html
    assert f'href="{_staff_chat(client_a)}"' in html
    assert "Reply in the chat to Alice &amp; Alex" in html
