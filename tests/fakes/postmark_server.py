"""A fake Postmark API on 127.0.0.1: POST /email as anymail's Postmark backend calls it (server token checked,
Postmark's 422 for an invalid recipient), each accepted e-mail kept in `emails`.

    server = FakePostmark(token="pm-token").start()   # ANYMAIL["POSTMARK_API_URL"] = server.url
"""

import json
import uuid

from tests.fakes.http_fake import FakeHttpServer


class FakePostmark(FakeHttpServer):
    def __init__(self, token: str):
        super().__init__()
        self.token = token
        self.emails: list[dict] = []  # the JSON of every e-mail accepted, with its "MessageID"

    def route(self, request: dict) -> tuple[int, dict]:
        if request["headers"].get("X-Postmark-Server-Token") != self.token:
            return 401, {"ErrorCode": 10, "Message": "No Account or Server API tokens were supplied."}
        if request["method"] != "POST" or request["path"] != "/email":
            return 404, {"ErrorCode": 404, "Message": "Not found"}
        email = json.loads(request["body"])
        if "@" not in email.get("To", "") or email["To"].endswith("@invalid.example"):
            return 422, {"ErrorCode": 300, "Message": f"Invalid 'To' address: '{email.get('To')}'."}
        email["MessageID"] = str(uuid.uuid4())
        self.emails.append(email)
        return 200, {
            "To": email["To"],
            "SubmittedAt": "2026-12-04T09:00:00.0000000Z",
            "MessageID": email["MessageID"],
            "ErrorCode": 0,
            "Message": "OK",
        }
