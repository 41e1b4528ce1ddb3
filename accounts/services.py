"""Log-in use cases: password, magic link, API token. Every attempt passes the atomic rate limit first."""

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import BusinessProfile, User
from accounts.throttle import register_login_attempt
from djbiz.errors import DomainError

logger = logging.getLogger(__name__)
_MAGIC_SALT = "accounts.magic-link"


class LoginError(DomainError):
    http_status = 400
    code = "invalid_login"


def login_check_password(*, request, ip: str, email: str, password: str) -> User:
    """The active user with this e-mail and password, or LoginError. Counts against the rate limit."""
    register_login_attempt(ip=ip, email=email)
    user = authenticate(request, username=email.strip().lower(), password=password)
    if user is None:
        raise LoginError("That e-mail address and password do not match.")
    return user


def _magic_token(user: User) -> str:
    # Including last_login makes the link single-use: logging in with it changes last_login.
    last_login = int(user.last_login.timestamp()) if user.last_login else 0
    return signing.TimestampSigner(salt=_MAGIC_SALT).sign_object({"u": user.pk, "l": last_login})


def magic_link_send(*, ip: str, email: str) -> None:
    """E-mail a one-time login link if an active account has this address; say nothing either way."""
    register_login_attempt(ip=ip, email=email)
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        logger.info("magic link requested for unknown address")
        return
    link = settings.SITE_URL + reverse("accounts:magic-link", args=[_magic_token(user)])
    business = BusinessProfile.current()
    context = {"user": user, "link": link, "business": business, "minutes": settings.MAGIC_LINK_MAX_AGE_SECONDS // 60}
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Your login link for {business.name}",
            message=render_to_string("accounts/email/magic_link.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )


def magic_link_user(token: str) -> User:
    """The user a magic-link token belongs to, or LoginError when it is expired, used or forged."""
    try:
        data = signing.TimestampSigner(salt=_MAGIC_SALT).unsign_object(
            token, max_age=settings.MAGIC_LINK_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired as exc:
        raise LoginError("This login link has expired. Ask for a new one.", code="link_expired") from exc
    except signing.BadSignature as exc:
        raise LoginError("This login link is not valid. Ask for a new one.", code="link_invalid") from exc
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    last_login = int(user.last_login.timestamp()) if user and user.last_login else 0
    if user is None or last_login != data.get("l"):
        raise LoginError("This login link has already been used. Ask for a new one.", code="link_used")
    return user


def api_token_for(user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def api_token_revoke(user: User) -> None:
    """Log the user out of the API on every device (DRF keeps one token per user)."""
    Token.objects.filter(user=user).delete()
