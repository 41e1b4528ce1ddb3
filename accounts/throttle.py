"""Atomic login rate limits per client IP and per e-mail address.

Each attempt increments a cache counter with `add` + `incr`, both atomic in Redis and in the local-memory
cache, so N parallel attempts are counted N times (DRF's throttles read, append and write back a list,
which lets parallel requests slip through).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from djbiz.errors import DomainError


class TooManyAttempts(DomainError):
    http_status = 429
    code = "throttled"

    def __init__(self, retry_after: int):
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"Too many login attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.")
        self.retry_after = retry_after


def _key(kind: str, value: str, window_start: int) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-attempts:{kind}:{digest}:{window_start}"


def _count_attempt(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: start the window again
        cache.add(key, 0, timeout=window)
        return cache.incr(key)


def register_login_attempt(*, ip: str, email: str) -> None:
    """Count one attempt; raise TooManyAttempts if the IP or the address is over its limit."""
    limits = settings.LOGIN_RATE_LIMIT
    window = limits["window_seconds"]
    now = int(time.time())
    window_start = now - now % window
    retry_after = window_start + window - now
    ip_count = _count_attempt(_key("ip", ip, window_start), window)
    email_count = _count_attempt(_key("email", email, window_start), window) if email else 0
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
