"""Django's ASGI handler with the middleware chain Django builds for WSGI: every middleware and the view run in
the request's one thread, entered once.

Django's own ASGI handler builds an async chain. Its middlewares that support both modes (all of Django's)
then run async and call their process_request and process_response through sync_to_async, and a sync-only
middleware or view switches back: a dozen thread hops per request, about 6 ms of CPU on top of about 3 of real
work for a guest API call (benchmarks/bids.py). Every view here is sync, so nothing is lost by running the
chain in one thread; the request still arrives, and the response still leaves, through Django's ASGI code."""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self):
        BaseHandler.__init__(self)  # not ASGIHandler's, which would build the async chain
        self.load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
