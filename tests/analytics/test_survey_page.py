"""/analytics/surveys/ and its CSV export: staff only, the figures and filters on the page, the responses in the
CSV (filtered the same way, formulas defused)."""

import csv
import io

import pytest

from tests.analytics.conftest import JULY, JUNE, surveyed

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("path", ["/analytics/surveys/", "/analytics/surveys/responses.csv"])
def test_only_staff_see_survey_results(client, client_a, path):
    assert client.get(path).status_code == 302  # to the log-in page
    client.force_login(client_a.user)
    assert client.get(path).status_code == 404


def test_the_page_shows_the_figures(client, staff_dj, surveys):
    client.force_login(staff_dj)
    page = client.get("/analytics/surveys/").content.decode()
    assert "8 responses to 10 surveys sent" in page
    for figure in ("80.0%", "3.63", "+25", "June 2026", "July 2026", "Corporate", "-67", "+80", "66.7%"):
        assert figure in page
    assert "— Priya, wedding" in page and "Priya Shah" in page  # the testimonial by first name; comments in full
    assert "Never again" in page
    assert 'href="/analytics/surveys/"' in page  # the menu link


def test_filters_narrow_the_page_and_its_csv_link(client, owner, surveys):
    client.force_login(owner)
    page = client.get("/analytics/surveys/", {"start": JULY, "end": JULY, "event_type": "corporate"}).content
    page = page.decode()
    assert "3 responses to 4 surveys sent (filtered)" in page
    assert "Best night ever!" not in page and "Never again" in page
    assert f"/analytics/surveys/responses.csv?start={JULY}&amp;end={JULY}&amp;event_type=corporate" in page


def test_a_bad_range_is_explained(client, owner, surveys):
    client.force_login(owner)
    page = client.get("/analytics/surveys/", {"start": JULY, "end": JUNE}).content.decode()
    assert "The range ends before it starts." in page
    assert "No surveys for these events." in page


def test_empty_page(client, owner):
    client.force_login(owner)
    assert "No surveys yet" in client.get("/analytics/surveys/").content.decode()


def test_csv_lists_the_responses_newest_first(client, owner, surveys):
    client.force_login(owner)
    response = client.get("/analytics/surveys/responses.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="survey-responses-')
    rows = _csv(response)
    assert rows[0] == [
        "answered_at",
        "event_date",
        "event",
        "event_type",
        "client",
        "rating",
        "nps",
        "nps_category",
        "may_publish",
        "comments",
    ]
    assert len(rows) == 1 + 8  # answered surveys only
    tom = next(row for row in rows if row[4] == "Tom Hill")
    assert tom[1] == JULY.isoformat() and tom[3:] == ["Wedding", "Tom Hill", "4", "9", "promoter", "yes", "Great music"]
    assert tom[0] == "2026-07-20 06:00"  # 10:00 UTC in the business's time zone (New York)
    assert [row[4] for row in rows[1:3]] == ["Initech", "Globex"]  # answered last: July, newest survey first


def test_csv_is_filtered_and_defuses_formulas(client, owner, surveys):
    surveyed(date=JULY, event_type="corporate", client="+1 Evil", answer=(1, 0, '=HYPERLINK("http://x","y")', True))
    client.force_login(owner)
    rows = _csv(client.get("/analytics/surveys/responses.csv", {"event_type": "corporate"}))
    assert {row[3] for row in rows[1:]} == {"Corporate"} and len(rows) == 1 + 4
    evil = next(row for row in rows if row[4] == "'+1 Evil")
    assert evil[-1] == '\'=HYPERLINK("http://x","y")'
