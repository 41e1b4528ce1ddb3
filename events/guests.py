"""Who a guest is: no account, just a UUID we signed. A browser keeps the signed token in a cookie; the mobile
app keeps it and sends it back in the `X-Guest-Id` header. A missing, forged or malformed token makes a new
guest, so nobody can act as another guest without holding that guest's token."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "djbiz_guest"
HEADER = "X-Guest-Id"
# Browsers cap a cookie's life at 400 days; a guest stays the same guest across a long weekend and beyond.
MAX_AGE_SECONDS = 400 * 24 * 60 * 60
_SALT = "events.guests.guest-id"
_CACHE_ATTRIBUTE = "_djbiz_guest"


@dataclass(frozen=True)
class Guest:
    id: uuid.UUID
    token: str  # the signed form of `id`, what the cookie and the X-Guest-Id header carry
    is_new: bool  # made for this request: the response hands the token out


def sign_guest_id(guest_id: uuid.UUID) -> str:
    return signing.Signer(salt=_SALT).sign(guest_id.hex)


def guest_id_from_token(token: str | None) -> uuid.UUID | None:
    """The guest id a token stands for, or None when it is missing, forged or malformed."""
    if not token:
        return None
    try:
        return uuid.UUID(hex=signing.Signer(salt=_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def new_guest() -> Guest:
    guest_id = uuid.uuid4()
    return Guest(id=guest_id, token=sign_guest_id(guest_id), is_new=True)


def guest_from_request(request: HttpRequest) -> Guest:
    """The guest making this request: from the X-Guest-Id header (the app), else the cookie (a browser), else
    a new guest. Remembered on the request, so throttles and the view agree on who it is."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    token = request.headers.get(HEADER) or request.COOKIES.get(COOKIE_NAME)
    guest_id = guest_id_from_token(token)
    guest = new_guest() if guest_id is None else Guest(id=guest_id, token=token, is_new=False)
    setattr(request, _CACHE_ATTRIBUTE, guest)
    return guest


def has_guest_cookie(request: HttpRequest) -> bool:
    return COOKIE_NAME in request.COOKIES


def remember_guest(response: HttpResponse, guest: Guest) -> HttpResponse:
    """Give a new guest their token: as a cookie for a browser, and in the X-Guest-Id response header for the
    app to store and send back."""
    if guest.is_new:
        response[HEADER] = guest.token
        response.set_cookie(
            COOKIE_NAME,
            guest.token,
            max_age=MAX_AGE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
