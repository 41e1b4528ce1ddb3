"""The common part of the fake provider servers (Postmark, Twilio): a threaded HTTP server on 127.0.0.1 that
records every request and can misbehave on demand.

    fake.fail_next.append((503, {...}))  # the next request is answered 503 (and nothing is created)
    fake.hold = True                     # the next request is handled (the message exists), then the answer
                                         # waits until fake.release is set: time to kill the caller
    fake.received.wait()                 # set once a held request has been handled
    fake.latency = 0.05                  # every answer comes 50 ms after the request was handled
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.local_server import LocalServer


class FakeHttpServer(LocalServer):
    def __init__(self):
        self.requests: list[dict] = []  # {"method", "path", "query", "headers", "body"} of every request
        self.fail_next: list[tuple[int, dict]] = []
        self.hold = False
        self.latency = 0.0  # seconds every answer waits (after the request was handled), like a real API
        self.last_request_at = 0.0  # time.monotonic() of the last request
        self.received = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def stop(self) -> None:
        self.release.set()  # a held answer goes out before the server stops
        super().stop()

    def posts(self) -> list[dict]:
        return [request for request in self.requests if request["method"] == "POST"]

    def route(self, request: dict) -> tuple[int, dict]:
        raise NotImplementedError

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode() if length else ""
        request = {
            "method": method,
            "path": split.path,
            "query": dict(parse_qsl(split.query)),
            "headers": dict(handler.headers.items()),
            "body": raw,
        }
        with self._lock:
            self.requests.append(request)
            self.last_request_at = time.monotonic()
            if self.fail_next:
                status, body = self.fail_next.pop(0)
                held = False
            else:
                status, body = self.route(request)
                held, self.hold = self.hold, False
        if held:
            self.received.set()
            self.release.wait(60)
        if self.latency:
            time.sleep(self.latency)
        payload = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller died while we held the answer


def form(request: dict) -> dict:
    return dict(parse_qsl(request["body"]))
