"""The API's request rate limits (settings.REST_FRAMEWORK's DEFAULT_THROTTLE_RATES)."""

import pytest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


@pytest.fixture
def three_per_minute(monkeypatch):
    # DRF copies the rates into the throttle classes at import, so override_settings would not reach them.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min"})
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})


def test_a_user_over_the_rate_gets_429_with_retry_after(staff_dj, api_for, three_per_minute):
    api = api_for(staff_dj)
    assert [api.get("/api/v1/events/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/events/")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_the_rate_is_counted_per_user(staff_dj, client_a, api_for, three_per_minute):
    for _ in range(3):
        api_for(staff_dj).get("/api/v1/events/")
    assert api_for(client_a.user).get("/api/v1/events/").status_code == 200


def test_anonymous_callers_are_throttled_too(db, api_for, three_per_minute):
    api = api_for(None)
    statuses = [api.post("/api/v1/auth/token/", {"email": "x@example.com", "password": "y"}).status_code]
    statuses += [api.post("/api/v1/auth/token/", {}).status_code for _ in range(3)]
    assert statuses == [400, 400, 400, 429]
