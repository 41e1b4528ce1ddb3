"""A fake Twilio API on 127.0.0.1: create and list Messages as the twilio SDK calls them (basic auth with the
account SID and auth token), Twilio's error answers (21211 invalid number, 21610 unsubscribed recipient), the media
of inbound MMS, and signed webhook requests as Twilio would send them.

    server = FakeTwilio(account_sid="AC...", auth_token="...").start()   # settings.TWILIO_API_BASE = server.url
    url = server.add_media(jpeg_bytes, "image/jpeg")  # a MediaUrl{N} (basic auth; redirects to a CDN on its host)
"""

import base64
import itertools
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from django.utils import timezone
from twilio.request_validator import RequestValidator

from tests.fakes.http_fake import FakeHttpServer, form

UNSUBSCRIBED = {"+15550000610"}  # numbers that replied STOP: Twilio answers 21610


class FakeTwilio(FakeHttpServer):
    def __init__(self, account_sid: str, auth_token: str):
        super().__init__()
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[dict] = []  # every message Twilio took, newest last
        self._sids = itertools.count(1)
        self.media: dict[str, tuple] = {}  # path -> (content type or "redirect", bytes or location, length, stall)
        self.media_gets: list[tuple[str, str]] = []  # (path, Authorization header) of every media request

    def add_media(self, data: bytes, content_type: str = "image/jpeg", **cdn) -> str:
        """A media item of an inbound message, at the URL Twilio puts in MediaUrl{N}. As Twilio's, it asks for basic
        auth and answers 307 to a CDN address that serves the bytes (here on the same server; `cdn`: length, stall
        as for add_cdn_file)."""
        cdn = self.add_cdn_file(data, content_type, **cdn)
        number = next(self._sids)
        path = f"/2010-04-01/Accounts/{self.account_sid}/Messages/MM{number:032d}/Media/ME{number:032d}"
        self.media[path] = ("redirect", urlsplit(cdn).path, None, 0.0)
        return self.url + path

    def add_cdn_file(
        self, data: bytes, content_type: str = "image/jpeg", *, length: bool = True, stall: float = 0.0
    ) -> str:
        """Bytes served without auth, as Twilio's CDN does; length=False: no Content-Length, the body ends when the
        connection closes; stall: seconds of silence between the headers and the body."""
        path = f"/cdn/ME{next(self._sids):032d}"
        self.media[path] = (content_type, data, length, stall)
        return self.url + path

    def redirect_media(self, url: str, location: str) -> None:
        """The media URL answers 307 to `location` instead of its CDN address."""
        self.media[urlsplit(url).path] = ("redirect", location, None, 0.0)

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        path = urlsplit(handler.path).path
        if method != "GET" or path not in self.media:
            return super()._serve(handler, method)
        auth = handler.headers.get("Authorization", "")
        self.media_gets.append((path, auth))
        kind, data, length, stall = self.media[path]
        try:
            if path.startswith("/2010-04-01/") and auth != self._basic_auth():
                handler.send_error(401)
            elif kind == "redirect":
                handler.send_response(307)
                handler.send_header("Location", data)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
            else:
                handler.send_response(200)
                handler.send_header("Content-Type", kind)
                if length:
                    handler.send_header("Content-Length", str(len(data)))
                else:
                    handler.close_connection = True
                handler.end_headers()
                handler.wfile.flush()
                time.sleep(stall)
                for start in range(0, len(data), 64 * 1024):
                    handler.wfile.write(data[start : start + 64 * 1024])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller stopped reading past its cap

    def _basic_auth(self) -> str:
        return "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()

    def route(self, request: dict) -> tuple[int, dict]:
        if request["headers"].get("Authorization") != self._basic_auth():
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if request["path"] != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        if request["method"] == "GET":
            query = request["query"]
            found = [
                message
                for message in reversed(self.messages)
                if message["to"] == query.get("To") and (not query.get("From") or message["from"] == query["From"])
            ]
            return 200, {
                "messages": found[: int(query.get("PageSize", 50))],
                "next_page_uri": None,
                "page": 0,
                "page_size": int(query.get("PageSize", 50)),
                "uri": request["path"],
            }
        data = form(request)
        if not data.get("To", "").startswith("+"):
            return 400, {"code": 21211, "message": f"The 'To' number {data.get('To')} is not valid.", "status": 400}
        if data["To"] in UNSUBSCRIBED:
            return 400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
        now = format_datetime(timezone.now(), usegmt=True)
        message = {
            "sid": f"SM{next(self._sids):032d}",
            "account_sid": self.account_sid,
            "to": data["To"],
            "from": data.get("From") or "+15550001111",
            "messaging_service_sid": data.get("MessagingServiceSid"),
            "body": data.get("Body", ""),
            "status": "queued",
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "direction": "outbound-api",
            "num_segments": "1",
            "_status_callback": data.get("StatusCallback"),
        }
        self.messages.append(message)
        return 201, message

    def signed(self, url: str, params: dict) -> dict:
        """The X-Twilio-Signature header Twilio would send with `params` POSTed to `url`."""
        return {"HTTP_X_TWILIO_SIGNATURE": RequestValidator(self.auth_token).compute_signature(url, params)}

    def status_callback(self, sid: str, status: str, **extra) -> tuple[str, dict, dict]:
        """(path, form, headers) of Twilio's status callback for message `sid`, signed for its callback URL."""
        message = next(message for message in self.messages if message["sid"] == sid)
        url = message["_status_callback"]
        params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": self.account_sid, "To": message["to"]}
        params |= extra
        return urlsplit(url).path, params, self.signed(url, params)
