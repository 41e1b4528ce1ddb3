"""The guest API's rate: GUEST_RATE per guest, and per IP for callers that come without a guest id."""

import uuid

import pytest
from rest_framework.test import APIClient

from events.guests import sign_guest_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_minute(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "guest": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_the_default_rate_comes_from_the_environment(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["guest"] == settings.GUEST_RATE == "30/min"


def test_a_guest_over_the_rate_gets_429_with_retry_after(live_night, guest_api, three_per_minute):
    api = guest_api()
    url = f"/api/v1/events/{live_night.event.slug}/queue/"
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    answer = api.get(url)
    assert answer.status_code == 429
    assert 0 < int(answer.headers["Retry-After"]) <= 60
    vote = api.post(f"/api/v1/events/{live_night.event.slug}/requests/{uuid.uuid4()}/vote/")
    assert vote.status_code == 429  # one budget for every guest endpoint


def test_each_guest_has_their_own_budget_even_on_one_address(live_night, guest_api, three_per_minute):
    url = f"/api/v1/events/{live_night.event.slug}/queue/"
    for _ in range(3):
        guest_api().get(url)
    for _ in range(5):  # a table of guests behind the venue's Wi-Fi
        assert guest_api().get(url).status_code == 200


def test_callers_without_a_guest_id_are_counted_by_address(live_night, three_per_minute):
    url = f"/api/v1/events/{live_night.event.slug}/queue/"
    assert [APIClient().get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    other_address = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other_address.get(url).status_code == 200
    known = APIClient()
    known.credentials(HTTP_X_GUEST_ID=sign_guest_id(uuid.uuid4()))
    assert known.get(url).status_code == 200
