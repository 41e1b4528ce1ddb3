"""Screenshots of the portal chat (client and staff) at phone and desktop width, the portal's header with an unread
message and the inbox with a client's unread count, to look at after a design change.

Not part of the normal run (the file name does not match test_*.py); run it on purpose:

    .venv/bin/pytest -q tests/e2e/screenshots_chat.py

The PNGs land in $SCREENSHOTS (default artifacts/screenshots/): chat-client-<size>.png, chat-staff-<size>.png,
chat-staff-away-<size>.png (the chat's head), chat-portal-badge-phone.png and chat-inbox-desktop.png.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from comms.services.chat import chat_post
from comms.services.inbound import Incoming, inbound_receive
from tests.e2e.test_chat import chat_thread  # noqa: F401  (the fixture `chat`)

OUT = Path(os.environ.get("SCREENSHOTS") or Path(settings.BASE_DIR) / "artifacts" / "screenshots")
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.mark.parametrize("size", SIZES)
def test_chat_screenshots(chat, live_page, size):
    sam, maya = chat
    OUT.mkdir(parents=True, exist_ok=True)
    staff_page = live_page(*SIZES[size], user=maya)
    client_page = live_page(*SIZES[size], user=sam.user)
    staff_page.goto(f"/inbox/clients/{sam.uuid}/chat/")
    expect(staff_page.locator("#chat-presence")).to_contain_text("away")
    staff_page.locator(".chat__head").screenshot(path=str(OUT / f"chat-staff-away-{size}.png"))
    client_page.goto("/portal/chat/")
    expect(client_page.locator("#chat-presence")).to_contain_text("online")
    client_page.get_by_label("Message").fill("Perfect, thank you! See you on the day.")
    client_page.get_by_role("button", name="Send").click()
    expect(staff_page.locator("#chat-thread")).to_contain_text("See you on the day")
    staff_page.get_by_label("Message").fill("Can’t wait! I’ll call you the week before to go over the timeline.")
    client_page.screenshot(path=str(OUT / f"chat-client-{size}.png"), full_page=True)
    staff_page.screenshot(path=str(OUT / f"chat-staff-{size}.png"), full_page=True)
    connections.close_all()


@pytest.fixture
def unread(chat):
    """One message each side has not read (written before the browser starts: Playwright's loop is then running)."""
    sam, maya = chat
    chat_post(client=sam, author=maya, body="Quick one: is the venue’s load-in door at the back?")
    inbound_receive(  # by e-mail: it leaves the client's chat unread
        incoming=Incoming(
            channel="email",
            sender="Sam Rivera <sam@example.com>",
            subject="Song request",
            body="My aunt wants to request a song on the night. Is that OK?",
            received_at=timezone.now(),
            provider="postmark",
            provider_message_id="pm-2",
        )
    )
    connections.close_all()
    return chat


def test_unread_badges_screenshots(unread, live_page):
    sam, maya = unread
    OUT.mkdir(parents=True, exist_ok=True)
    client_page = live_page(*SIZES["phone"], user=sam.user)
    client_page.goto("/portal/")
    expect(client_page.locator("[data-chat-unread]")).to_be_visible()
    client_page.screenshot(path=str(OUT / "chat-portal-badge-phone.png"))
    staff_page = live_page(*SIZES["desktop"], user=maya)
    staff_page.goto("/inbox/")
    staff_page.screenshot(path=str(OUT / "chat-inbox-desktop.png"), full_page=True)
    connections.close_all()
