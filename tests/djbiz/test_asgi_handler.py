"""daphne's HTTP handler runs Django's sync middleware chain (djbiz/asgi_handler.py): the middlewares and the view
run in the request's one thread, without a thread hop per middleware (requests through it: test_connections.py
and every browser test)."""

import asyncio

from djbiz.asgi import application


def test_the_http_handler_builds_the_sync_chain():
    handler = application.application_mapping["http"]
    assert not asyncio.iscoroutinefunction(handler._middleware_chain)
