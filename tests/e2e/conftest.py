"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server, or, for the live
pages and their websockets, against daphne (asgi_server, live_page).

Websockets need an ASGI server, and pytest-django's live_server is WSGI only. daphne runs in a thread of the test
process (one server for the whole run: Twisted's reactor cannot start twice in a process), so it uses the test
database as the test does. Django runs each request's database work in a thread of its own; while a test drives
pages the server closes those connections after each request (CONN_MAX_AGE 0), so PostgreSQL can drop the test
database at the end.

Stripe mode (stripe_api, guest_page): the fake Stripe API on 127.0.0.1 stands in for api.stripe.com and
tests/fakes/stripe.js for Stripe.js; nothing is fetched from outside."""

import re
import socket
import threading
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import connections
from django.test import Client

from tests.fakes.stripe_server import FakeStripe

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"  # what tests.factories.UserFactory sets
FAKE_STRIPE_JS = Path(__file__).resolve().parents[1] / "fakes" / "stripe.js"
WEBHOOK_SECRET = "whsec_e2e_secret"


@pytest.fixture(autouse=True)
def _allow_orm_calls_beside_playwright(monkeypatch):
    """Playwright's sync API runs an asyncio loop in this thread while a browser is open, and Django refuses
    ORM calls from a thread with a running loop. The tests' own ORM calls are synchronous, so allow them, but
    only in these tests: the rest of the suite keeps Django's check."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    """Chromium for one test; it closes (and Playwright's loop stops) before the next test runs."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # While Playwright's loop runs, Django keeps the test's database connections apart from the usual
        # ones; close them here, or PostgreSQL cannot drop the test database at the end.
        connections.close_all()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(width, height) -> a page in a fresh browser context (own cookies) on the live server."""
    contexts = []

    def make(width: int = 390, height: int = 844):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    form = page.locator("#password-login")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/portal/")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def asgi_server():
    """The project's ASGI application (HTTP, static files and websockets) on daphne; yields its base URL."""
    from daphne.server import Server
    from twisted.internet import reactor

    from djbiz.asgi import application

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


@pytest.fixture
def live_page(browser, asgi_server):
    """live_page(width, height, user=None) -> a page on daphne in a fresh browser context, logged in as `user` if
    given (the login page itself is tested elsewhere; here a session is made directly)."""
    database = connections.settings["default"]
    conn_max_age = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
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
    database["CONN_MAX_AGE"] = conn_max_age


@pytest.fixture
def stripe_api(settings, asgi_server):
    """Stripe mode against the fake Stripe API, which posts its signed webhooks to the app on daphne."""
    server = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.url
    server.send_webhooks(f"{asgi_server}/webhooks/stripe/", WEBHOOK_SECRET)
    yield server
    server.stop()


@pytest.fixture
def guest_page(live_page, stripe_api, asgi_server):
    """guest_page(width, height) -> a page on daphne for a guest in Stripe mode: https://js.stripe.com/v3/ is
    answered by tests/fakes/stripe.js, pointed at the fake Stripe API. page.sent_to_app lists what the page sent
    to the app (URL and body of every request)."""

    def make(width: int = 390, height: int = 844):
        page = live_page(width, height)
        script = FAKE_STRIPE_JS.read_text().replace("__FAKE_STRIPE_API__", stripe_api.url)
        page.route(re.compile(r"^https://(js|api)\.stripe\.com/"), lambda route: route.abort())  # no network
        page.route(
            "https://js.stripe.com/v3/",
            lambda route: route.fulfill(status=200, content_type="application/javascript", body=script),
        )
        page.sent_to_app = []

        def record(request):
            if request.url.startswith(asgi_server):
                page.sent_to_app.append(f"{request.url} {request.post_data or ''}")

        page.on("request", record)
        return page

    return make
