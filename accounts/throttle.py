"""Atomic login rate limits per client IP and per e-mail address (counted by djbiz.ratelimit)."""

import hashlib
import time

from django.conf import settings

from djbiz.errors import DomainError
from djbiz.ratelimit import window_hit, window_start


class TooManyAttempts(DomainError):
    http_status = 429
    code = "throttled"

    def __init__(self, retry_after: int):
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"Too many login attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.")
        self.retry_after = retry_after


def _key(kind: str, value: str, start: int) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-attempts:{kind}:{digest}:{start}"


def register_login_attempt(*, ip: str, email: str) -> None:
    """Count one attempt; raise TooManyAttempts if the IP or the address is over its limit."""
    limits = settings.LOGIN_RATE_LIMIT
    window = limits["window_seconds"]
    now = int(time.time())
    start = window_start(window, now=now)
    retry_after = start + window - now
    ip_count = window_hit(_key("ip", ip, start), window=window)
    email_count = window_hit(_key("email", email, start), window=window) if email else 0
    if ip_count > limits["per_ip"] or email_count > limits["per_email"]:
        raise TooManyAttempts(retry_after)


def client_ip(request) -> str:
    """The caller's address; X-Forwarded-For is trusted only for the configured number of proxies."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
