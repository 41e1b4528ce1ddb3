"""POST/DELETE /api/v1/auth/token/ and GET /api/v1/me/."""

import threading

from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery"


def test_login_returns_a_token_and_the_user(client_a):
    response = APIClient().post(URL, {"email": "Alice@Example.com", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token"] == Token.objects.get(user=client_a.user).key
    assert body["user"] == {
        "id": client_a.user.pk,
        "email": "alice@example.com",
        "full_name": client_a.user.full_name,
        "role": "client",
    }


def test_the_token_authenticates_later_requests(staff_dj):
    token = APIClient().post(URL, {"email": "dj@example.com", "password": PASSWORD}).json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {"id": staff_dj.pk, "email": "dj@example.com", "full_name": "Dana DJ", "role": "staff"}


def test_wrong_password_is_a_400_with_a_readable_message(client_a):
    response = APIClient().post(URL, {"email": "alice@example.com", "password": "nope"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "That e-mail address and password do not match.",
        "code": "invalid_login",
    }
    assert not Token.objects.exists()


def test_inactive_user_cannot_log_in(db):
    UserFactory(email="gone@example.com", is_active=False)
    response = APIClient().post(URL, {"email": "gone@example.com", "password": PASSWORD})
    assert response.status_code == 400


def test_missing_and_malformed_fields_are_named(db):
    response = APIClient().post(URL, {"email": "not-an-address"})
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_me_needs_a_login(db):
    assert APIClient().get("/api/v1/me/").status_code == 401


def test_logout_deletes_the_token(client_a):
    token = APIClient().post(URL, {"email": "alice@example.com", "password": PASSWORD}).json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.delete(URL).status_code == 204
    assert not Token.objects.filter(key=token).exists()
    assert api.get("/api/v1/me/").status_code == 401


def test_logout_needs_a_login(db):
    assert APIClient().delete(URL).status_code == 401


def test_over_the_limit_gets_429_with_retry_after_even_with_the_right_password(client_a):
    api = APIClient()
    for _ in range(settings.LOGIN_RATE_LIMIT["per_email"]):
        assert api.post(URL, {"email": "alice@example.com", "password": "nope"}).status_code == 400
    response = api.post(URL, {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "Too many login attempts" in response.json()["detail"]
    assert 0 < int(response.headers["Retry-After"]) <= settings.LOGIN_RATE_LIMIT["window_seconds"]


def _post_in_parallel(payloads: list[dict]) -> list[int]:
    """POST every payload at the same moment, each from its own thread, client and database connection."""
    statuses: list[int] = []
    start = threading.Barrier(len(payloads))

    def attempt(payload):
        try:
            api = APIClient()
            start.wait()
            statuses.append(api.post(URL, payload).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(payload,)) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == len(payloads)
    return statuses


def test_parallel_wrong_passwords_for_one_address_stop_at_the_address_limit(transactional_db):
    UserFactory(email="target@example.com")
    statuses = _post_in_parallel([{"email": "target@example.com", "password": f"guess-{n}"} for n in range(50)])
    assert set(statuses) <= {400, 429}
    assert statuses.count(400) <= settings.LOGIN_RATE_LIMIT["per_email"]
    assert statuses.count(429) >= 50 - settings.LOGIN_RATE_LIMIT["per_email"]


def test_parallel_attempts_from_one_address_stop_at_the_ip_limit(transactional_db):
    statuses = _post_in_parallel([{"email": f"user{n}@example.com", "password": "guess"} for n in range(50)])
    assert set(statuses) <= {400, 429}
    assert statuses.count(400) <= settings.LOGIN_RATE_LIMIT["per_ip"]
    assert statuses.count(429) >= 50 - settings.LOGIN_RATE_LIMIT["per_ip"]
