"""The live night in two browsers: a guest requests a song and the DJ console shows it without a reload; the
DJ marks it playing and the guest's page shows it as now playing, also without a reload.

Websockets need an ASGI server, and pytest-django's live_server is WSGI only. daphne runs here in a thread of
the test process (one server for the module: Twisted's reactor cannot start twice in a process), so it uses the
test database as the test does, including SQLite's in-memory one, which a separate process could not see.
Django runs each request's database work in a thread of its own; the server closes those connections after each
request (CONN_MAX_AGE 0 while it runs), so PostgreSQL can drop the test database at the end."""

import socket
import threading
import uuid

import pytest
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import connections
from django.test import Client
from playwright.sync_api import expect

from events import services
from tests.factories import ClientFactory, EventFactory, UserFactory


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def asgi_server():
    """The project's ASGI application (HTTP, static files and websockets) on daphne; yields its base URL."""
    from daphne.server import Server
    from twisted.internet import reactor

    from djbiz.asgi import application

    database = connections.settings["default"]
    conn_max_age = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
    port = _free_port()
    server = Server(
        ASGIStaticFilesHandler(application),
        endpoints=[f"tcp:port={port}:interface=127.0.0.1"],
        signal_handlers=False,
        verbosity=0,
    )
    thread = threading.Thread(target=server.run, name="daphne", daemon=True)
    thread.start()
    for _ in range(100):
        if server.listening_addresses:
            break
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=5)
    database["CONN_MAX_AGE"] = conn_max_age


@pytest.fixture
def live_page(browser, asgi_server):
    """live_page(width, height, user=None) -> a page in a fresh browser context, logged in as `user` if given
    (the login page itself is tested elsewhere; here a session is made directly)."""
    contexts = []

    def make(width: int = 390, height: int = 844, user=None):
        context = browser.new_context(base_url=asgi_server, viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        if user is not None:
            session = Client()
            session.force_login(user)
            cookie = session.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": asgi_server}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def party(transactional_db, owner):
    event = EventFactory(client=ClientFactory(name="Carol & Chris"), title="Carol & Chris wedding", status="booked")
    services.live_settings_update(actor=owner, event=event, fields={"requests_open": True})
    return event


@pytest.mark.e2e
def test_a_request_reaches_the_console_and_now_playing_reaches_the_guest(party, live_page):
    dj = live_page(820, 1180, user=UserFactory(role="staff"))
    dj.goto(f"/events/{party.slug}/console/")
    expect(dj.locator("#live-status")).to_contain_text("Live")

    guest = live_page()
    guest.goto(f"/e/{party.slug}/")
    expect(guest.locator("#live-status")).to_contain_text("Live")
    guest.get_by_label("Song title").fill("September")
    guest.get_by_label("Artist").fill("Earth, Wind & Fire")
    guest.get_by_label("Your name").fill("Sam")
    guest.get_by_role("button", name="Send request").click()
    expect(guest.locator("#queue")).to_contain_text("September")

    dj_queue = dj.locator("#queue")
    expect(dj_queue).to_contain_text("September")  # pushed by the feed: the console was not reloaded
    dj.get_by_role("button", name="Playing: September").click()
    expect(dj.locator("#now-playing")).to_contain_text("September")

    expect(guest.locator("#now-playing")).to_contain_text("September")
    expect(guest.locator("#guest-banner")).to_contain_text("Your song is playing now")


@pytest.mark.e2e
def test_two_consoles_show_what_either_dj_did(party, live_page):
    services.song_request_create(event=party, guest_id=uuid.uuid4(), title="Valerie", artist="Amy Winehouse")
    dana = UserFactory(role="staff")
    first, second = live_page(820, 1180, user=dana), live_page(390, 844, user=dana)
    for page in (first, second):
        page.goto(f"/events/{party.slug}/console/")
        expect(page.locator("#live-status")).to_contain_text("Live")

    first.get_by_role("button", name="Up next: Valerie").click()

    for page in (first, second):
        expect(page.locator("#queue .badge--up_next")).to_have_text("Up next")
