"""A fake Stripe API on 127.0.0.1 for the tests: the PaymentIntent and refund endpoints billing uses, with
Stripe's idempotency (the same Idempotency-Key gets the same answer, never a second object) and switches to
misbehave: decline a card, fail a capture, answer 500 once, drop the connection once.

    server = FakeStripe().start()      # server.url -> "http://127.0.0.1:<port>"
    server.authorize(pi_id)            # what the guest's Payment Element would do with a good card
    server.stop()
"""

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class FakeStripe:
    def __init__(self):
        self.payment_intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request received
        self.fail_capture = 0  # the next N captures answer 402 card_declined
        self.error_once = 0  # the next N requests answer 500 (after doing nothing)
        self.drop_once = 0  # the next N requests are handled, then the connection drops before the answer
        self._answers: dict[tuple[str, str], tuple[int, dict]] = {}  # idempotency key -> first answer
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- running -------------------------------------------------------------------------------------
    def start(self) -> "FakeStripe":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._serve(self, "GET")

            def do_POST(self):
                fake._serve(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- what the browser would do --------------------------------------------------------------------
    def authorize(self, pi_id: str, *, capture_before: int | None = None) -> dict:
        """A good card confirmed on the page: the PaymentIntent waits for capture (the hold lasts 7 days)."""
        with self._lock:
            intent = self.payment_intents[pi_id]
            intent.update(status="requires_capture", amount_capturable=intent["amount"], last_payment_error=None)
            intent["_charge"] = {
                "id": f"ch_{next(self._ids)}",
                "object": "charge",
                "payment_method_details": {
                    "type": "card",
                    "card": {"capture_before": capture_before or int(time.time()) + 7 * 86400},
                },
            }
            intent["latest_charge"] = intent["_charge"]["id"]
            return self._public(intent)

    def decline(self, pi_id: str) -> dict:
        with self._lock:
            intent = self.payment_intents[pi_id]
            intent.update(
                status="requires_payment_method",
                last_payment_error={"code": "card_declined", "message": "Your card was declined."},
            )
            return self._public(intent)

    # --- the API --------------------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(handler.rfile.read(length).decode())) if length else {}
        query = dict(parse_qsl(split.query))
        key = handler.headers.get("Idempotency-Key")
        with self._lock:
            self.requests.append((method, split.path))
            if self.error_once:
                self.error_once -= 1
                status, body = 500, {"error": {"type": "api_error", "message": "Something went wrong (fake)."}}
            elif key and (method, key) in self._answers:
                status, body = self._answers[(method, key)]
            else:
                status, body = self._route(method, split.path, form, query)
                if key and status < 500:
                    self._answers[(method, key)] = (status, body)
            drop = self.drop_once > 0
            if drop:
                self.drop_once -= 1
        if drop:  # the work is done, but the client never hears about it
            handler.close_connection = True
            handler.connection.shutdown(2)
            return
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        if key:
            handler.send_header("Idempotency-Key", key)
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method: str, path: str, form: dict, query: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if method == "POST" and parts == ["v1", "payment_intents"]:
            return self._create_intent(form)
        if len(parts) >= 3 and parts[:2] == ["v1", "payment_intents"]:
            intent = self.payment_intents.get(parts[2])
            if intent is None:
                return _error(404, "invalid_request_error", "No such payment_intent", code="resource_missing")
            if method == "GET" and len(parts) == 3:
                return 200, self._public(intent, expand="latest_charge" in query.values())
            if method == "POST" and parts[3:] == ["capture"]:
                return self._capture(intent)
            if method == "POST" and parts[3:] == ["cancel"]:
                return self._cancel(intent)
        if method == "POST" and parts == ["v1", "refunds"]:
            return self._refund(form)
        return _error(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path})")

    def _create_intent(self, form: dict) -> tuple[int, dict]:
        if "amount" not in form or "currency" not in form:
            return _error(400, "invalid_request_error", "Missing required param: amount.", param="amount")
        pi_id = f"pi_{next(self._ids):06d}"
        self.payment_intents[pi_id] = {
            "id": pi_id,
            "object": "payment_intent",
            "amount": int(form["amount"]),
            "amount_capturable": 0,
            "amount_received": 0,
            "currency": form["currency"],
            "capture_method": form.get("capture_method", "automatic"),
            "client_secret": f"{pi_id}_secret_fake",
            "status": "requires_payment_method",
            "latest_charge": None,
            "last_payment_error": None,
            "metadata": {key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")},
        }
        return 200, self._public(self.payment_intents[pi_id])

    def _capture(self, intent: dict) -> tuple[int, dict]:
        if intent["status"] != "requires_capture":
            return _error(400, "invalid_request_error", f"This PaymentIntent is {intent['status']}.")
        if self.fail_capture:
            self.fail_capture -= 1
            return _error(402, "card_error", "Your card was declined.", code="card_declined")
        intent.update(status="succeeded", amount_received=intent["amount"], amount_capturable=0)
        return 200, self._public(intent)

    def _cancel(self, intent: dict) -> tuple[int, dict]:
        if intent["status"] in ("succeeded", "canceled"):
            return _error(400, "invalid_request_error", f"This PaymentIntent is {intent['status']}.")
        intent.update(status="canceled", amount_capturable=0)
        return 200, self._public(intent)

    def _refund(self, form: dict) -> tuple[int, dict]:
        intent = self.payment_intents.get(form.get("payment_intent", ""))
        if intent is None or intent["status"] != "succeeded":
            return _error(400, "invalid_request_error", "This PaymentIntent has no charge to refund.")
        refund_id = f"re_{next(self._ids):06d}"
        self.refunds[refund_id] = {
            "id": refund_id,
            "object": "refund",
            "amount": intent["amount"],
            "payment_intent": intent["id"],
            "status": "succeeded",
        }
        return 200, self.refunds[refund_id]

    @staticmethod
    def _public(intent: dict, *, expand: bool = False) -> dict:
        public = {key: value for key, value in intent.items() if not key.startswith("_")}
        if expand and "_charge" in intent:
            public["latest_charge"] = intent["_charge"]
        return json.loads(json.dumps(public))


def _error(status: int, kind: str, message: str, **extra) -> tuple[int, dict]:
    return status, {"error": {"type": kind, "message": message, **extra}}
