"""The portal chat in Chromium, with two browsers: a client on a phone and a staff DJ at a desk write to each other
and each sees the other's message arrive without a reload; the client's header counts a message that arrives
while their window is in the background, and reading it clears the badge and shows "Seen" on the DJ's side.
The `chat` fixture (a thread mixing e-mail and chat) also serves tests/e2e/screenshots_chat.py."""

import datetime as dt

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import BusinessProfile
from comms.services.chat import chat_post
from comms.services.inbound import Incoming, inbound_receive
from comms.services.inbox import reply_send
from tests.factories import ClientFactory, EventFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture(name="chat")
def chat_thread(transactional_db, settings):
    """Sam's thread: an e-mail answered by e-mail, then a few chat messages. Returns (client, staff DJ)."""
    settings.LLM_API_BASE = ""
    BusinessProfile(name="Night Owl DJs").save()
    maya = UserFactory(role="staff", email="maya@example.com", full_name="Maya Lopez")
    sam = ClientFactory(
        name="Sam & Alex Rivera",
        email="sam@example.com",
        phone="+1 555 010 2000",
        user=UserFactory(email="sam@example.com", full_name="Sam Rivera"),
    )
    EventFactory(client=sam, title="Rivera wedding", date=timezone.localdate() + dt.timedelta(days=40), status="booked")
    email = inbound_receive(
        incoming=Incoming(
            channel="email",
            sender="Sam Rivera <sam@example.com>",
            subject="First dance song",
            body="Hi Maya, we picked our first dance: At Last by Etta James. Can you fade it out after 2 minutes?",
            received_at=timezone.now() - dt.timedelta(days=2),
            provider="postmark",
            provider_message_id="pm-1",
        )
    )
    reply_send(message_id=email.pk, body="Lovely choice! Yes, I'll fade it out at 2:00.", actor=maya)
    chat_post(client=sam, author=sam.user, body="One more thing: could the speeches mic be wireless?")
    chat_post(client=sam, author=maya, body="Yes, I bring two wireless mics.\nThe best man can walk around.")
    connections.close_all()
    return sam, maya


def test_client_and_staff_see_each_others_messages_live_and_the_unread_badge(chat, live_page):
    sam, maya = chat
    client_page = live_page(390, 844, user=sam.user)
    staff_page = live_page(1280, 800, user=maya)
    client_page.goto("/portal/chat/")
    staff_page.goto(f"/inbox/clients/{sam.uuid}/chat/")
    expect(staff_page.locator("#chat-presence")).to_contain_text("Client online")
    expect(client_page.locator("#chat-presence")).to_contain_text("We’re online now")

    client_page.get_by_label("Message").fill("Great! And can we add a <b>sax</b> player?")
    client_page.get_by_role("button", name="Send").click()
    expect(staff_page.locator(".chat-line--theirs").last).to_contain_text("can we add a <b>sax</b> player?")
    expect(client_page.get_by_label("Message")).to_have_value("")
    expect(client_page.locator(".chat-line--mine").last).to_contain_text("You")

    staff_page.get_by_label("Message").fill("Yes! Leo plays sax and is free that night.")
    staff_page.get_by_label("Message").press("Enter")
    expect(client_page.locator(".chat-line--theirs").last).to_contain_text("Leo plays sax")
    # The client's window has the focus: read at once.
    expect(staff_page.locator(".chat-line--mine .chat-line__seen").last).to_be_visible()

    # The client's window goes to the background: the next message waits there, counted in the header.
    client_page.evaluate("document.hasFocus = () => false")
    staff_page.get_by_label("Message").fill("I'll send his setlist tomorrow.")
    staff_page.get_by_role("button", name="Send").click()
    expect(client_page.locator(".chat-line--theirs").last).to_contain_text("setlist tomorrow")
    badge = client_page.locator("[data-chat-unread]")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("1")
    expect(staff_page.locator(".chat-line--mine .chat-line__seen").last).to_be_hidden()

    client_page.evaluate("document.hasFocus = () => true; window.dispatchEvent(new Event('focus'))")
    expect(badge).to_be_hidden()
    expect(staff_page.locator(".chat-line--mine .chat-line__seen").last).to_be_visible()
    connections.close_all()
