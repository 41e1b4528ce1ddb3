"""SMS through Twilio (its SDK) or the console, chosen by settings.SMS_PROVIDER; and the check of Twilio's
webhook signatures. The one module that talks to Twilio, so it is configured and faked in one place.

Inbound MMS media are fetched by `sms_media_fetch` (comms/services/mms.py calls it from a worker): only from Twilio's
API host, see its docstring.

Twilio's API has no idempotency key. A message whose worker died after Twilio took it is found again by
`sms_find_sent` (Twilio's Messages list filtered by To/From, matched on the body and the time of our claim),
so the outbox records it instead of sending it twice (comms/services/outbox.py).
"""

import re
import sys
import time
import uuid
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings
from django.http import HttpRequest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from comms.errors import from_http_status, from_requests_error
from music import url_policy

# Twilio error 21610: the recipient replied STOP to our number; Twilio refuses every message to them.
TWILIO_UNSUBSCRIBED = 21610
_TIMEOUT_SECONDS = 15
TWILIO_API = "https://api.twilio.com"
_MEDIA_REDIRECTS = 3
_MEDIA_CHUNK = 64 * 1024


class MediaRefused(Exception):
    """An MMS media item not fetched; the message says why, for the inbox."""


class MediaTooLarge(MediaRefused):
    """Over the byte cap (announced by Content-Length, or counted as it arrived)."""


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


def _api_origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:  # a port that is no number
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def _is_twilio_api(url: str) -> bool:
    """The URL is on the configured Twilio API host (TWILIO_API_BASE, else api.twilio.com): scheme, host, port."""
    return _api_origin(url) == _api_origin(settings.TWILIO_API_BASE or TWILIO_API)


def sms_media_fetch(*, url: str, max_bytes: int, deadline: float) -> bytes:
    """The bytes of one inbound MMS media item (MediaUrl{N} of Twilio's webhook), or MediaRefused.

    The URL must be one of our account's media on the configured Twilio API host: anything else in the payload is
    refused unread, so a forged or odd webhook cannot make the server fetch another address (SSRF). The request
    carries our account's basic auth, which Twilio asks for. Twilio answers with a redirect to its CDN: a redirect
    that leaves the API host is followed without our credentials and only to a public address (music.url_policy
    checks it and connects to the address it checked). The body is counted while it streams (a missing or false
    Content-Length does not get past `max_bytes`), every read waits at most until `deadline` (time.monotonic())."""
    media_prefix = f"/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages/"
    if not (_is_twilio_api(url) and urlsplit(url).path.startswith(media_prefix)):
        raise MediaRefused("not a media address of our Twilio account: not fetched")
    with requests.Session() as twilio, url_policy.guarded_session() as elsewhere:
        twilio.trust_env = False
        for _ in range(_MEDIA_REDIRECTS + 1):
            ours = _is_twilio_api(url)
            try:
                response = (twilio if ours else elsewhere).get(
                    url,
                    auth=(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN) if ours else None,
                    stream=True,
                    allow_redirects=False,
                    timeout=_socket_timeout(deadline),
                )
                with response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers["Location"])
                        if not _is_twilio_api(url):
                            url_policy.check_url(url)
                        continue
                    if response.status_code != 200:
                        raise MediaRefused(f"Twilio answered {response.status_code}")
                    return _read_capped(response, max_bytes=max_bytes, deadline=deadline)
            except url_policy.RefusedURL as error:
                raise MediaRefused(f"redirected to a refused address ({error.message})") from error
            except (requests.Timeout, urllib3.exceptions.TimeoutError) as error:
                raise MediaRefused("timed out") from error
            except (requests.RequestException, urllib3.exceptions.HTTPError) as error:  # urllib3's: from read1()
                raise MediaRefused(f"could not be fetched ({type(error).__name__})") from error
    raise MediaRefused("too many redirects")


def _socket_timeout(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise MediaRefused("timed out")
    return min(_TIMEOUT_SECONDS, left)


def _read_capped(response: requests.Response, *, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise MediaTooLarge(f"over {max_bytes} bytes")
    content = bytearray()
    # read1: at most one read of the socket per call (each bounded by the socket timeout), so the deadline is
    # looked at even when the sender trickles the bytes.
    while chunk := response.raw.read1(_MEDIA_CHUNK, decode_content=True):
        content += chunk
        if len(content) > max_bytes:
            raise MediaTooLarge(f"over {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise MediaRefused("timed out")
    return bytes(content)
