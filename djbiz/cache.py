"""Django's Redis cache with one connection pool per process instead of one per thread.

Django keeps a cache object per thread, and each opens its own redis-py connection pool. Under ASGI every request
runs its sync code in a thread of its own, so every request opened a new connection to Redis (and left it to the
garbage collector). redis-py's pool and client are thread-safe: here every thread of the process shares them (Django
builds a client per call: 50 µs of CPU each, against 80 µs for a whole cache.get() on a shared one)."""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class _SharedPoolClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        url = self._servers[self._get_connection_pool_index(write)]
        shared = (url, repr(sorted(self._pool_options.items())))
        client = _clients.get(shared)
        if client is None:
            with _clients_lock:
                client = _clients.get(shared)
                if client is None:
                    pool = self._pool_class.from_url(url, **self._pool_options)
                    client = _clients[shared] = self._client(connection_pool=pool)
        return client


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedPoolClient
