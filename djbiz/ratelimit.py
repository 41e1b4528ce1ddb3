"""Fixed-window counters in the cache, for rate limits that parallel requests cannot slip past.

Each hit increments a counter with `add` + `incr`, both atomic in Redis and in the local-memory cache, so N
parallel hits are counted N times (DRF's throttles read, append and write back a list, which lets parallel
requests through). With the local-memory cache each process counts on its own; Redis counts for all of them."""

import time

from django.core.cache import cache


def window_start(window: int, *, now: float | None = None) -> int:
    """The start (epoch seconds) of the `window`-second window `now` falls in."""
    now = int(time.time() if now is None else now)
    return now - now % window


def window_hit(key: str, *, window: int) -> int:
    """Count one hit on `key` (a cache key naming the window) and return the count so far."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: start the window again
        cache.add(key, 0, timeout=window)
        return cache.incr(key)
