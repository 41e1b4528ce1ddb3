"""The login page (password and e-mail link) and the magic-link page."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import BusinessProfile

LOGIN_URL = reverse("accounts:login")


def test_login_page_offers_a_password_form_and_an_email_link_form(client, db):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="method" value="password"' in html
    assert 'name="method" value="magic"' in html
    assert "Email me a login link" in html
    assert html.count('id="id_email"') == 1, "the two e-mail inputs need distinct ids for their labels"


def test_password_login_takes_a_client_to_their_portal(client, client_a):
    response = client.post(
        LOGIN_URL,
        {"method": "password", "email": "alice@example.com", "password": "correct horse battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("events:portal")
    assert response.context["user"] == client_a.user


def test_password_login_returns_to_the_page_asked_for(client, client_a, event_a):
    wanted = reverse("events:portal-event", args=[event_a.uuid])
    login_page = client.get(wanted, follow=True)
    assert f'name="next" value="{wanted}"' in login_page.content.decode()
    response = client.post(
        LOGIN_URL,
        {"method": "password", "email": "alice@example.com", "password": "correct horse battery", "next": wanted},
    )
    assert response.status_code == 302
    assert response["Location"] == wanted


def test_wrong_password_shows_an_error_and_keeps_the_email(client, client_a):
    response = client.post(LOGIN_URL, {"method": "password", "email": "alice@example.com", "password": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "That e-mail address and password do not match." in html
    assert 'value="alice@example.com"' in html
    assert "_auth_user_id" not in client.session


def test_missing_email_is_shown_next_to_the_field(client, db):
    response = client.post(LOGIN_URL, {"method": "magic", "email": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="magic-email_error"' in html
    assert 'aria-invalid="true"' in html


def _link_path(message) -> str:
    link = re.search(r"https?://\S+", message.body).group(0)
    return "/" + link.split("/", 3)[3]


def test_magic_link_logs_in_once(client, client_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGIN_URL, {"method": "magic", "email": "Alice@Example.com"}, follow=True)
    assert "If that address has an account, a login link is on its way." in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    path = _link_path(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert f"Log in as {client_a.user.full_name}" in page.content.decode()
    assert "alice@example.com" in page.content.decode()
    assert "_auth_user_id" not in client.session, "opening the link must not log in (mail scanners open links)"

    response = client.post(path, follow=True)
    assert response.redirect_chain[-1][0] == reverse("events:portal")
    assert response.context["user"] == client_a.user

    client.logout()
    reused = client.get(path)
    assert reused.status_code == 400
    assert "This login link has already been used." in reused.content.decode()
    assert client.post(path).status_code == 400
    assert "_auth_user_id" not in client.session


def test_magic_link_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGIN_URL, {"method": "magic", "email": "nobody@example.com"}, follow=True)
    assert "If that address has an account, a login link is on its way." in response.content.decode()
    assert mail.outbox == []


def test_forged_magic_link_shows_an_error_and_a_way_back(client, db):
    response = client.get(reverse("accounts:magic-link", args=["not-a-real-token"]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This login link is not valid." in html
    assert f'href="{LOGIN_URL}"' in html


@pytest.mark.parametrize(("user_fixture", "link"), [("client_a", "My events"), ("staff_dj", "Admin")])
def test_header_shows_the_business_and_the_right_links(client, db, request, user_fixture, link):
    BusinessProfile.objects.create(name="Nightfall Sound")
    persona = request.getfixturevalue(user_fixture)
    client.force_login(getattr(persona, "user", persona))
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Nightfall Sound" in html
    assert f">{link}</a>" in html
    assert 'action="/accounts/logout/"' in html


def test_logging_out_is_a_post(client, client_a):
    client.force_login(client_a.user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
