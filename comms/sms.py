"""SMS through Twilio (its SDK) or the console, chosen by settings.SMS_PROVIDER; and the check of Twilio's
webhook signatures. The one module that talks to Twilio, so it is configured and faked in one place.

Twilio's API has no idempotency key. A message whose worker died after Twilio took it is found again by
`sms_find_sent` (Twilio's Messages list filtered by To/From, matched on the body and the time of our claim),
so the outbox records it instead of sending it twice (comms/services/outbox.py).
"""

import re
import sys
import uuid
from datetime import datetime

import requests
from django.conf import settings
from django.http import HttpRequest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from comms.errors import from_http_status, from_requests_error

# Twilio error 21610: the recipient replied STOP to our number; Twilio refuses every message to them.
TWILIO_UNSUBSCRIBED = 21610
_TIMEOUT_SECONDS = 15


class _HttpClient(TwilioHttpClient):
    """The SDK's own HTTP client (custom HTTP clients are its supported hook), pointed at TWILIO_API_BASE when
    that is set: a Twilio-compatible API such as the tests' fake server."""

    def request(self, method, url, *args, **kwargs):
        if settings.TWILIO_API_BASE:
            url = re.sub(r"^https://[^/]+", settings.TWILIO_API_BASE.rstrip("/"), url)
        return super().request(method, url, *args, **kwargs)


def _client() -> Client:
    return Client(
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=_HttpClient(timeout=_TIMEOUT_SECONDS)
    )


def _sender() -> dict:
    sender = settings.TWILIO_FROM
    return {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}


def sms_send(*, to: str, body: str, status_callback: str) -> str:
    """Hand one SMS to the provider; its message id (Twilio's SID). Raises a comms.errors.DeliveryError."""
    if settings.SMS_PROVIDER == "console":
        sys.stdout.write(f"SMS to {to}:\n{body}\n{'-' * 40}\n")
        return f"console-{uuid.uuid4().hex}"
    try:
        message = _client().messages.create(to=to, body=body, status_callback=status_callback, **_sender())
    except TwilioRestException as error:
        raise from_http_status(
            error.status,
            f"Twilio {error.status} (code {error.code}): {error.msg}",
            opted_out=error.code == TWILIO_UNSUBSCRIBED,
        ) from error
    except requests.RequestException as error:
        raise from_requests_error(error, "Twilio") from error
    return message.sid


def sms_find_sent(*, to: str, body: str, since: datetime) -> list[str]:
    """SIDs of the messages with this text that Twilio took for `to` since `since`, newest first. The console
    keeps no record, so it finds none (a development message may then print twice)."""
    if settings.SMS_PROVIDER == "console":
        return []
    sender = {} if settings.TWILIO_FROM.startswith("MG") else {"from_": settings.TWILIO_FROM}
    return [
        message.sid
        for message in _client().messages.list(to=to, limit=100, **sender)
        if message.body == body and message.date_created and message.date_created >= since
    ]


def twilio_request_valid(request: HttpRequest) -> bool:
    """True when Twilio signed this webhook request. Twilio signs the public URL it called; behind a proxy the
    request's own scheme and host are the proxy's, so the URL is rebuilt from SITE_URL, from which we also built
    every callback URL we gave Twilio."""
    if not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.SITE_URL + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature)
