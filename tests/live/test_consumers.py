"""The live feed's websockets: guests read anonymously, the DJ console needs a staff session, origins are
checked, and a published change reaches a connected guest as it was encoded."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from djbiz.asgi import application
from events import feed
from events.services import event_change_status
from tests.live.async_run import run

OURS = (b"origin", b"http://testserver")

pytestmark = pytest.mark.django_db(transaction=True)


def _socket(path: str, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=list(headers))


@database_sync_to_async
def _session_cookie(user) -> tuple[bytes, bytes]:
    browser = Client()
    browser.force_login(user)
    return (b"cookie", f"sessionid={browser.cookies['sessionid'].value}".encode())


@database_sync_to_async
def _publish(event, kind: str, data: dict) -> int:
    with transaction.atomic():
        return feed.publish(event=event, kind=kind, data=data)


async def _connect(communicator: WebsocketCommunicator) -> dict:
    """Connect and return the hello message the server sends first."""
    connected, _ = await communicator.connect()
    assert connected
    return await communicator.receive_json_from()


@run
async def test_a_guest_receives_what_is_published_after_a_hello_with_the_sequence(event_a):
    await _publish(event_a, "announcement", {"text": "Doors open"})
    guest = _socket(f"/ws/events/{event_a.slug}/", OURS)
    assert await _connect(guest) == {"kind": "hello", "seq": 1}

    seq = await _publish(event_a, "announcement", {"text": "Cake at ten"})

    text = await guest.receive_from()
    assert json.loads(text) == {"seq": seq, "kind": "announcement", "data": {"text": "Cake at ten"}}
    await guest.disconnect()


@run
async def test_what_a_guest_sends_is_ignored(event_a):
    guest = _socket(f"/ws/events/{event_a.slug}/", OURS)
    await _connect(guest)
    await guest.send_to(text_data=json.dumps({"kind": "request", "data": {"title": "Sneaky"}}))
    assert await guest.receive_nothing()
    await guest.disconnect()


@run
async def test_a_guest_without_an_origin_header_is_accepted(event_a):
    """The mobile app and other native clients send no Origin; the read-only feed lets them in."""
    guest = _socket(f"/ws/events/{event_a.slug}/")
    assert (await _connect(guest))["kind"] == "hello"
    await guest.disconnect()


@run
async def test_a_foreign_origin_is_refused(event_a, staff_dj):
    for path, headers in [
        (f"/ws/events/{event_a.slug}/", []),
        (f"/ws/events/{event_a.slug}/console/", [await _session_cookie(staff_dj)]),
    ]:
        socket = _socket(path, (b"origin", b"https://evil.example"), *headers)
        connected, _ = await socket.connect()
        assert not connected


@run
async def test_an_unknown_or_cancelled_event_is_refused(event_a, owner):
    await database_sync_to_async(event_change_status)(actor=owner, event=event_a, status="cancelled")
    for slug in ("no-such-party", event_a.slug):
        guest = _socket(f"/ws/events/{slug}/", OURS)
        connected, _ = await guest.connect()
        assert connected
        assert await guest.receive_output() == {"type": "websocket.close", "code": 4404}


@run
async def test_the_console_relays_the_feed_to_a_staff_dj(event_a, staff_dj):
    console = _socket(f"/ws/events/{event_a.slug}/console/", OURS, await _session_cookie(staff_dj))
    assert await _connect(console) == {"kind": "hello", "seq": 0}
    seq = await _publish(event_a, "now_playing", {"request": None})
    assert json.loads(await console.receive_from())["seq"] == seq
    await console.disconnect()


@pytest.mark.parametrize("as_client", [False, True])
@run
async def test_the_console_needs_a_staff_session(event_a, client_a, as_client):
    headers = [OURS]
    if as_client:
        headers.append(await _session_cookie(client_a.user))
    console = _socket(f"/ws/events/{event_a.slug}/console/", *headers)
    connected, _ = await console.connect()
    assert connected
    assert await console.receive_output() == {"type": "websocket.close", "code": 4403}


@run
async def test_the_console_needs_an_origin_even_with_a_staff_session(event_a, staff_dj):
    console = _socket(f"/ws/events/{event_a.slug}/console/", await _session_cookie(staff_dj))
    connected, _ = await console.connect()
    assert not connected
