"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

from pathlib import Path

import pytest
from django.db import connections

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
