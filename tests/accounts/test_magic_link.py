import pytest
from django.core import mail, signing

from accounts import services
from accounts.services import LoginError


def _link_token(body: str) -> str:
    link = next(line for line in body.splitlines() if "/accounts/magic/" in line)
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_magic_link_mail_logs_in_once(client_a, django_capture_on_commit_callbacks):
    user = client_a.user
    with django_capture_on_commit_callbacks(execute=True):
        services.magic_link_send(ip="192.0.2.1", email="ALICE@example.com")
    assert mail.outbox[-1].to == ["alice@example.com"]
    token = _link_token(mail.outbox[-1].body)
    assert services.magic_link_user(token) == user

    from django.contrib.auth.models import update_last_login

    update_last_login(None, user)  # what logging in does
    with pytest.raises(LoginError, match="already been used"):
        services.magic_link_user(token)


def test_unknown_address_gets_no_mail_and_no_hint(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.magic_link_send(ip="192.0.2.1", email="nobody@example.com")
    assert mail.outbox == []


def test_expired_and_forged_links_are_refused(client_a, settings):
    token = services._magic_token(client_a.user)
    settings.MAGIC_LINK_MAX_AGE_SECONDS = -1
    with pytest.raises(LoginError, match="expired"):
        services.magic_link_user(token)
    settings.MAGIC_LINK_MAX_AGE_SECONDS = 900
    forged = signing.TimestampSigner(salt="something-else").sign_object({"u": client_a.user.pk, "l": 0})
    with pytest.raises(LoginError, match="not valid"):
        services.magic_link_user(forged)
