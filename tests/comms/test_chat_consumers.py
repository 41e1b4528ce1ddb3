"""The chat's websockets: a client and staff on the same thread see each other's messages as they are written,
read marks and presence travel both ways, a page that reconnects gets what it missed; nobody reaches a thread that
is not theirs, and a session and an Origin of ours are required."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from accounts.models import BusinessProfile
from comms.models import ChatPresence, Message
from comms.services.chat import chat_post
from djbiz.asgi import application
from tests.live.async_run import run

OURS = (b"origin", b"http://testserver")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def business(settings):
    settings.LLM_API_BASE = ""
    BusinessProfile(name="Night Owl DJs").save()


@database_sync_to_async
def _cookie(user) -> tuple[bytes, bytes]:
    browser = Client()
    browser.force_login(user)
    return (b"cookie", f"sessionid={browser.cookies['sessionid'].value}".encode())


async def _open(path: str, user=None, origin=OURS) -> tuple[WebsocketCommunicator, dict]:
    """A connected socket and the hello it got first."""
    headers = [origin] if origin else []
    if user is not None:
        headers.append(await _cookie(user))
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await socket.connect()
    assert connected
    return socket, await socket.receive_json_from()


async def _next(socket: WebsocketCommunicator, kind: str, **fields) -> dict:
    """The next frame of that type with those fields (other frames, e.g. its own side's presence, may come
    between)."""
    for _ in range(10):
        frame = await socket.receive_json_from()
        if frame["type"] == kind and all(frame.get(key) == value for key, value in fields.items()):
            return frame
    raise AssertionError(f"no {kind} frame")


async def _both(socket: WebsocketCommunicator, *kinds: str) -> dict[str, dict]:
    """The next frame of each type, in whatever order they come (the group's and the socket's own answers race)."""
    found: dict[str, dict] = {}
    for _ in range(10):
        frame = await socket.receive_json_from()
        if frame["type"] in kinds:
            found.setdefault(frame["type"], frame)
        if len(found) == len(kinds):
            return found
    raise AssertionError(f"not all of {kinds}: {found}")


async def _refused_with(path: str, user=None) -> int:
    headers = [OURS] + ([await _cookie(user)] if user else [])
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await socket.connect()
    assert connected
    closing = await socket.receive_output()
    assert closing["type"] == "websocket.close"
    return closing["code"]


@run
async def test_both_sides_see_each_others_messages_live(client_a, staff_dj):
    client, hello = await _open("/ws/chat/", client_a.user)
    assert hello == {"type": "hello", "side": "client", "other_online": False, "unread": 0}
    staff, hello = await _open(f"/ws/chat/{client_a.uuid}/", staff_dj)
    assert hello == {"type": "hello", "side": "staff", "other_online": True, "unread": 0}
    assert (await _next(client, "presence", side="staff"))["online"] is True

    await client.send_json_to({"type": "send", "body": "Can we start at 7?", "ref": "m1"})
    frames = await _both(client, "sent", "message")
    sent = frames["sent"]
    assert frames["message"]["message"]["id"] == sent["id"]  # the sender's other tabs hear of it too
    on_staff = await _next(staff, "message")
    assert on_staff["message"]["id"] == sent["id"] and sent["ref"] == "m1"
    assert on_staff["message"] | {"at": "", "time": ""} == {
        "id": sent["id"],
        "direction": "in",
        "channel": "chat",
        "channel_label": "Chat",
        "name": "Alice & Alex",
        "subject": "",
        "body": "Can we start at 7?",
        "at": "",
        "time": "",
        "read": False,
    }
    assert on_staff["unread"] == {"client": 0, "staff": 1}

    await staff.send_json_to({"type": "read", "up_to": sent["id"]})
    assert await _next(client, "read") == {"type": "read", "side": "staff", "up_to": sent["id"], "unread": 0}

    await staff.send_json_to({"type": "send", "body": "Sure, 7 it is.", "ref": "m2"})
    reply = (await _next(client, "message"))["message"]
    assert (reply["direction"], reply["name"], reply["body"]) == ("out", "Dana", "Sure, 7 it is.")
    assert await database_sync_to_async(Message.objects.filter(conversation__client=client_a).count)() == 2

    await staff.disconnect()
    assert (await _next(client, "presence", side="staff"))["online"] is False
    await client.disconnect()
    assert not await database_sync_to_async(ChatPresence.objects.exists)()


@run
async def test_a_refused_message_is_answered_with_the_reason(client_a, settings):
    settings.CHAT_MAX_LENGTH = 5
    client, _ = await _open("/ws/chat/", client_a.user)
    await client.send_json_to({"type": "send", "body": "Too long", "ref": "m1"})
    assert await _next(client, "error") == {
        "type": "error",
        "ref": "m1",
        "message": "That message is 8 characters long; the limit is 5.",
        "code": "chat",
    }
    await client.disconnect()


@run
async def test_a_page_that_reconnects_gets_what_it_missed(client_a, staff_dj):
    first = await database_sync_to_async(chat_post)(client=client_a, author=staff_dj, body="First")
    await database_sync_to_async(chat_post)(client=client_a, author=staff_dj, body="Second")
    client, hello = await _open("/ws/chat/", client_a.user)
    assert hello["unread"] == 2
    await client.send_json_to({"type": "sync", "after": first.pk})
    missed = await _next(client, "messages")
    assert [line["body"] for line in missed["messages"]] == ["Second"]
    await client.disconnect()


@run
async def test_a_client_hears_nothing_of_another_clients_thread(client_a, client_b):
    alice, _ = await _open("/ws/chat/", client_a.user)
    bea, _ = await _open("/ws/chat/", client_b.user)
    await bea.send_json_to({"type": "send", "body": "Bea's private question", "ref": "m1"})
    await _both(bea, "sent", "message")
    heard = []
    while not await alice.receive_nothing(timeout=0.3):
        heard.append(await alice.receive_json_from())
    assert heard == [{"type": "presence", "side": "client", "online": True}]  # her own, on joining
    await alice.disconnect()
    await bea.disconnect()


@run
async def test_a_client_cannot_open_another_clients_thread(client_a, client_b):
    assert await _refused_with(f"/ws/chat/{client_b.uuid}/", client_a.user) == 4403


@run
async def test_without_a_session_the_chat_is_refused(client_a):
    assert await _refused_with("/ws/chat/") == 4403
    assert await _refused_with(f"/ws/chat/{client_a.uuid}/") == 4403


@run
async def test_staff_asking_for_an_unknown_client_get_not_found(staff_dj):
    assert await _refused_with("/ws/chat/00000000-0000-0000-0000-000000000000/", staff_dj) == 4404
    assert await _refused_with("/ws/chat/", staff_dj) == 4404  # staff have no portal chat of their own


@run
async def test_the_chat_needs_an_origin_of_ours(client_a):
    for origin in [None, (b"origin", b"https://evil.example")]:
        headers = ([origin] if origin else []) + [await _cookie(client_a.user)]
        socket = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
        connected, _ = await socket.connect()
        assert not connected


@run
async def test_a_flood_of_frames_is_cut_off(client_a):
    client, _ = await _open("/ws/chat/", client_a.user)
    for _ in range(45):
        await client.send_to(text_data=json.dumps({"type": "ping"}))
    assert (await _next(client, "error"))["message"] == "Too many messages at once. Wait a moment."
    await client.disconnect()
