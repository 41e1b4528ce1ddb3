"""Django's Redis cache with one connection pool per process instead of one per thread.

Django keeps a cache object per thread, and each opens its own redis-py connection pool. Under ASGI every request
runs its sync code in a thread of its own, so every request opened a new connection to Redis (and left it to the
garbage collector). redis-py's pool is thread-safe: here every thread of the process shares it."""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_pools: dict[tuple, object] = {}
_pools_lock = threading.Lock()


class _SharedPoolClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        url = self._servers[self._get_connection_pool_index(write)]
        key = (url, repr(sorted(self._pool_options.items())))
        with _pools_lock:
            pool = _pools.get(key)
            if pool is None:
                pool = _pools[key] = self._pool_class.from_url(url, **self._pool_options)
        return pool


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedPoolClient
