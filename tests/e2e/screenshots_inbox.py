"""Screenshots of the staff inbox at phone and desktop width, to look at after a design change.

Not part of the normal run (the file name does not match test_*.py); run it on purpose:

    .venv/bin/pytest -q tests/e2e/screenshots_inbox.py

The PNGs land in $SCREENSHOTS (default artifacts/screenshots/), named inbox-<phone|desktop>.png.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from tests.e2e.test_inbox_page import inbox  # noqa: F401  (the fixture)

OUT = Path(os.environ.get("SCREENSHOTS") or Path(settings.BASE_DIR) / "artifacts" / "screenshots")
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.mark.usefixtures("inbox")
@pytest.mark.parametrize("size", SIZES)
def test_inbox_screenshots(staff_dj, live_page, size):
    OUT.mkdir(parents=True, exist_ok=True)
    page = live_page(*SIZES[size], user=staff_dj)
    page.goto("/inbox/")
    assert page.get_by_role("heading", name="Inbox").is_visible()
    page.screenshot(path=str(OUT / f"inbox-{size}.png"), full_page=True)
    connections.close_all()
