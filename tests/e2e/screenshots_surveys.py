"""Screenshots of the survey results page at phone and desktop width, to look at after a design change.

Not part of the normal run (the file name does not match test_*.py); run it on purpose:

    .venv/bin/pytest -q tests/e2e/screenshots_surveys.py

The PNGs land in $SCREENSHOTS (default artifacts/screenshots/), named surveys-<phone|desktop>.png.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from tests.e2e.test_survey_results_page import survey_results  # noqa: F401  (the fixture)

OUT = Path(os.environ.get("SCREENSHOTS") or Path(settings.BASE_DIR) / "artifacts" / "screenshots")
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.mark.usefixtures("survey_results")
@pytest.mark.parametrize("size", SIZES)
def test_survey_results_screenshots(staff_dj, live_page, size):
    OUT.mkdir(parents=True, exist_ok=True)
    page = live_page(*SIZES[size], user=staff_dj)
    page.goto("/analytics/surveys/")
    assert page.get_by_role("heading", name="Survey results").is_visible()
    page.screenshot(path=str(OUT / f"surveys-{size}.png"), full_page=True)
    connections.close_all()
