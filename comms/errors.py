"""What a provider call can end in, besides success. The outbox decides from the kind alone (comms/status.py):
a transient error is retried with backoff, a permanent one fails the message, an ambiguous one (the request may
have reached the provider) is never retried blindly but reconciled."""

import requests
from urllib3.exceptions import NewConnectionError


class DeliveryError(Exception):
    def __init__(self, message: str, *, opted_out: bool = False):
        super().__init__(message)
        self.opted_out = opted_out  # the provider says the recipient unsubscribed (Twilio 21610, say)


class TransientDeliveryError(DeliveryError):
    """The provider did not take the message and may later: 429, 5xx, connection refused."""


class PermanentDeliveryError(DeliveryError):
    """The provider refused the message and always will: 4xx, invalid or blocked recipient."""


class AmbiguousDeliveryError(DeliveryError):
    """The request left but no answer came back (read timeout, connection dropped): it may have been sent."""


def request_never_left(error: BaseException) -> bool:
    """True when a `requests` error happened before the request reached the server (refused, DNS, connect
    timeout), so sending again cannot make a duplicate. Looks through wrappers (anymail raises `from` it)."""
    while error is not None:
        if isinstance(error, requests.ConnectTimeout):
            return True
        if isinstance(error, requests.ConnectionError):
            reason = getattr(error.args[0], "reason", None) if error.args else None
            if isinstance(reason, NewConnectionError):
                return True
        error = error.__cause__
    return False


def from_requests_error(error: BaseException, provider: str) -> DeliveryError:
    if request_never_left(error):
        return TransientDeliveryError(f"{provider} could not be reached: {error}")
    return AmbiguousDeliveryError(f"{provider} did not answer after receiving the request: {error}")


def from_http_status(status: int | None, detail: str, *, opted_out: bool = False) -> DeliveryError:
    if status is not None and (status == 429 or status >= 500):
        return TransientDeliveryError(detail)
    return PermanentDeliveryError(detail, opted_out=opted_out)
