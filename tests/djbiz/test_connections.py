"""Under ASGI each request runs its sync code in a thread of its own: connections to PostgreSQL and Redis must come
from per-process pools, not be opened per thread (a connection per request, and PostgreSQL out of connections
under load). Requests go through the project's ASGI application, as daphne serves them (Django's test clients
run every request's sync code in one thread); the third-party connect calls are counted, not changed."""

import asyncio
import threading

import psycopg
import pytest
import redis.connection
from channels.testing import HttpCommunicator
from django.conf import settings

from djbiz.asgi import application

REQUESTS = 30


def _get_healthz_one_after_another() -> None:
    """From an event loop in a thread of its own, as daphne runs it (under async_to_sync from the test's thread,
    asgiref would run every request's sync code back in that one thread)."""

    async def requests():
        for _ in range(REQUESTS):
            communicator = HttpCommunicator(application, "GET", "/healthz", headers=[(b"host", b"testserver")])
            statuses.append((await communicator.get_response(timeout=10))["status"])
            await communicator.wait(timeout=10)  # the request's clean-up, after the response, as daphne lets it

    statuses: list[int] = []
    server = threading.Thread(target=asyncio.run, args=(requests(),))
    server.start()
    server.join()
    assert statuses == [200] * REQUESTS  # each check touched the database, the cache and the channel layer


def _count_calls(monkeypatch, owner, name: str) -> list:
    calls, original = [], getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_requests_take_postgresql_connections_from_the_pool(monkeypatch):
    opened = _count_calls(monkeypatch, psycopg.Connection, "__init__")  # every new connection, pooled or not
    _get_healthz_one_after_another()
    assert len(opened) <= settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_requests_share_the_redis_cache_connections(monkeypatch):
    opened = _count_calls(monkeypatch, redis.connection.Connection, "_connect")  # a new socket; sync: the cache
    _get_healthz_one_after_another()
    assert len(opened) <= 2  # the pool may already hold a connection from before
