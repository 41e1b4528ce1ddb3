"""events.guests: a guest is a signed UUID, in a cookie (the page) or the X-Guest-Id header (the app); and the
CSRF rule of the guest API that follows from it."""

import uuid

import pytest
from django.core import signing
from rest_framework.test import APIClient

from events.guests import COOKIE_NAME, HEADER, MAX_AGE_SECONDS, guest_id_from_token, sign_guest_id
from events.models import SongRequest

pytestmark = pytest.mark.django_db


def queue_url(event) -> str:
    return f"/api/v1/events/{event.slug}/queue/"


def requests_url(event) -> str:
    return f"/api/v1/events/{event.slug}/requests/"


def test_a_new_guest_gets_a_signed_long_lived_http_only_lax_cookie(live_night, client):
    answer = client.get(queue_url(live_night.event))
    cookie = answer.cookies[COOKIE_NAME]
    assert guest_id_from_token(cookie.value) is not None
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == MAX_AGE_SECONDS
    assert not cookie["secure"]  # secure in production, where SESSION_COOKIE_SECURE is on
    assert answer.headers[HEADER] == cookie.value


def test_the_cookie_is_secure_in_production(live_night, client, settings):
    settings.SESSION_COOKIE_SECURE = True
    assert client.get(queue_url(live_night.event)).cookies[COOKIE_NAME]["secure"]


def test_the_cookie_keeps_the_guest_and_is_not_sent_again(live_night, client):
    first = client.get(queue_url(live_night.event))
    again = client.get(queue_url(live_night.event))
    assert COOKIE_NAME not in again.cookies
    assert HEADER not in again.headers
    client.post(requests_url(live_night.event), {"title": "September"}, content_type="application/json")
    assert SongRequest.objects.get().guest_id == guest_id_from_token(first.cookies[COOKIE_NAME].value)


def test_the_app_names_its_guest_in_the_header(live_night):
    guest = uuid.uuid4()
    api = APIClient()
    api.credentials(HTTP_X_GUEST_ID=sign_guest_id(guest))
    answer = api.post(requests_url(live_night.event), {"title": "September"}, format="json")
    assert answer.status_code == 201
    assert HEADER not in answer.headers
    assert SongRequest.objects.get().guest_id == guest


@pytest.mark.parametrize(
    "token",
    [
        str(uuid.uuid4()),  # a bare id: anyone could claim any guest's id
        sign_guest_id(uuid.uuid4())[:-1] + "x",  # a tampered signature
        "not-a-token",
    ],
)
def test_a_forged_token_makes_a_new_guest(live_night, token):
    api = APIClient()
    api.credentials(HTTP_X_GUEST_ID=token)
    answer = api.post(requests_url(live_night.event), {"title": "September"}, format="json")
    assert answer.status_code == 201
    new_guest = guest_id_from_token(answer.headers[HEADER])
    assert new_guest is not None
    assert SongRequest.objects.get().guest_id == new_guest


def test_a_token_signed_for_something_else_is_not_a_guest():
    assert guest_id_from_token(signing.Signer().sign(uuid.uuid4().hex)) is None


def test_a_browser_using_the_cookie_must_send_the_csrf_token(live_night):
    browser = APIClient(enforce_csrf_checks=True)
    browser.get(queue_url(live_night.event))  # the guest cookie and the csrftoken cookie
    refused = browser.post(requests_url(live_night.event), {"title": "September"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        requests_url(live_night.event), {"title": "September"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


def test_the_app_with_its_header_needs_no_csrf_token(live_night):
    app = APIClient(enforce_csrf_checks=True)
    app.credentials(HTTP_X_GUEST_ID=sign_guest_id(uuid.uuid4()))
    assert app.post(requests_url(live_night.event), {"title": "September"}, format="json").status_code == 201
