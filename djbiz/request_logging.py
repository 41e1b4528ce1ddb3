"""One JSON log line per HTTP request, with a request id that also goes back in X-Request-ID."""

import logging
import re
import time
import uuid

from djbiz.logging import log_context

logger = logging.getLogger("djbiz.request")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = log_context.set({"request_id": request.id})
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            user = getattr(request, "user", None)
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            log_context.reset(token)
