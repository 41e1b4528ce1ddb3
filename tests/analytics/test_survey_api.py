"""GET /api/v1/analytics/surveys/: the survey results for the mobile app, staff only."""

import pytest

from tests.analytics.conftest import JULY

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/surveys/"


def test_staff_get_the_summary(api_for, staff_dj, surveys):
    body = api_for(staff_dj).get(URL).json()
    assert body["overall"] == {
        "sent": 10,
        "answered": 8,
        "response_rate": "80.0",
        "average_rating": "3.63",
        "nps": 25,
        "promoters": 4,
        "passives": 2,
        "detractors": 2,
    }
    assert body["by_rating"] == {"5": 3, "4": 2, "3": 1, "2": 1, "1": 1}
    assert [(g["key"], g["figures"]["nps"]) for g in body["by_month"]] == [("2026-06", 75), ("2026-07", -25)]
    assert [(g["label"], g["figures"]["response_rate"]) for g in body["by_event_type"]] == [
        ("Corporate", "75.0"),
        ("Wedding", "83.3"),
    ]
    assert body["testimonials"][0] == {
        "first_name": "Tom",
        "event_type": "Wedding",
        "event_date": JULY.isoformat(),
        "rating": 4,
        "nps": 9,
        "comments": "Great music",
        "answered_at": "2026-07-20T10:00:00Z",
    }
    assert "client_name" not in body["testimonials"][0]
    assert body["recent_comments"][0]["client_name"] == "Initech"


def test_filters_and_their_errors(api_for, owner, surveys):
    api = api_for(owner)
    body = api.get(URL, {"event_type": "corporate", "start": JULY.isoformat()}).json()
    assert (body["overall"]["sent"], body["overall"]["nps"]) == (4, -67)
    assert api.get(URL, {"event_type": "rave"}).status_code == 400
    assert api.get(URL, {"start": "2026-07-02", "end": "2026-07-01"}).json() == {
        "non_field_errors": ["The range ends before it starts."]
    }


def test_clients_and_strangers_are_refused(api_for, client_a):
    assert api_for(None).get(URL).status_code == 401
    assert api_for(client_a.user).get(URL).status_code == 403
