"""The survey results page in Chromium: a staff DJ narrows it to one event type and downloads the CSV. The
`survey_results` fixture also serves tests/e2e/screenshots_surveys.py."""

import pytest
from django.db import connections

from accounts.models import BusinessProfile
from tests.analytics.conftest import make_surveys


@pytest.fixture
def survey_results(transactional_db):
    BusinessProfile(name="Night Owl DJs").save()
    make_surveys()


@pytest.mark.usefixtures("survey_results")
def test_staff_filter_the_results_and_download_the_csv(staff_dj, live_page, tmp_path):
    page = live_page(1280, 900, user=staff_dj)
    page.goto("/analytics/surveys/")
    assert page.get_by_role("heading", name="Survey results").is_visible()
    nps = page.locator(".kpi", has_text="Net Promoter Score").locator(".kpi__value")
    assert nps.inner_text() == "+25"

    page.get_by_label("Event type", exact=True).select_option("corporate")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**event_type=corporate**")
    assert nps.inner_text() == "-67"
    assert page.get_by_text("3 responses to 4 surveys sent (filtered)").is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    path = tmp_path / "responses.csv"
    download.value.save_as(path)
    lines = path.read_text().splitlines()
    assert len(lines) == 1 + 3 and all(",Corporate," in line for line in lines[1:])

    page.get_by_role("link", name="Clear").click()
    page.wait_for_url("**/analytics/surveys/")
    assert page.get_by_text("8 responses to 10 surveys sent").is_visible()
    connections.close_all()
