"""A fake Stripe API on 127.0.0.1 for the tests: the PaymentIntent and refund endpoints billing uses, with
Stripe's idempotency (the same Idempotency-Key gets the same answer, never a second object) and switches to
misbehave: decline a card, fail a capture, answer 500 once, drop the connection once.

    server = FakeStripe().start()      # server.url -> "http://127.0.0.1:<port>"
    server.authorize(pi_id)            # what the guest's Payment Element would do with a good card
    server.stop()

The browser tests also let the page confirm a PaymentIntent itself, as Stripe.js does (tests/fakes/stripe.js):
POST /v1/payment_intents/<id>/confirm and GET /v1/payment_intents/<id> with the publishable key and the
client secret, across origins (CORS). With `send_webhooks(url, secret)` the server then tells the app what
happened, as Stripe does: a signed event POSTed to the webhook URL after each change.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.local_server import LocalServer

# Stripe's test card numbers: this one is declined (card_declined); any other well-formed number is approved.
DECLINED_CARD = "4000000000000002"

# The webhook event Stripe sends when a PaymentIntent reaches a status (a manual-capture hold, a charge...).
EVENT_OF_STATUS = {
    "requires_capture": "payment_intent.amount_capturable_updated",
    "succeeded": "payment_intent.succeeded",
    "canceled": "payment_intent.canceled",
}


class FakeStripe(LocalServer):
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
        self._webhook: tuple[str, str] | None = None  # (url, signing secret) once send_webhooks() is called
        self.webhooks_sent: list[tuple[str, int]] = []  # (event type, the app's HTTP status)

    # --- running (start, stop, url: LocalServer) ------------------------------------------------------
    def send_webhooks(self, url: str, secret: str) -> None:
        """From now on, report every change of a PaymentIntent to `url` as Stripe does, signed with `secret`."""
        self._webhook = (url, secret)

    # --- what the browser would do --------------------------------------------------------------------
    def authorize(self, pi_id: str, *, capture_before: int | None = None) -> dict:
        """A good card confirmed on the page: the PaymentIntent waits for capture (the hold lasts 7 days)."""
        with self._lock:
            return self._public(self._hold(self.payment_intents[pi_id], capture_before=capture_before))

    def decline(self, pi_id: str) -> dict:
        with self._lock:
            return self._public(self._refuse(self.payment_intents[pi_id]))

    def _hold(self, intent: dict, *, capture_before: int | None = None) -> dict:
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
        return intent

    @staticmethod
    def _refuse(intent: dict) -> dict:
        intent.update(
            status="requires_payment_method",
            last_payment_error={"code": "card_declined", "message": "Your card was declined."},
        )
        return intent

    # --- the API --------------------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        if method == "OPTIONS":  # the browser's CORS preflight before Stripe.js's calls
            handler.send_response(204)
            _cors(handler)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(handler.rfile.read(length).decode())) if length else {}
        query = dict(parse_qsl(split.query))
        key = handler.headers.get("Idempotency-Key")
        api_key = handler.headers.get("Authorization", "").removeprefix("Bearer ")
        with self._lock:
            self.requests.append((method, split.path))
            before = {pi_id: intent["status"] for pi_id, intent in self.payment_intents.items()}
            if self.error_once:
                self.error_once -= 1
                status, body = 500, {"error": {"type": "api_error", "message": "Something went wrong (fake)."}}
            elif key and (method, key) in self._answers:
                status, body = self._answers[(method, key)]
            elif api_key.startswith("pk_"):
                status, body = self._route_publishable(method, split.path, form, query)
            else:
                status, body = self._route(method, split.path, form, query)
                if key and status < 500:
                    self._answers[(method, key)] = (status, body)
            changed = [
                self._public(intent)
                for pi_id, intent in self.payment_intents.items()
                if intent["status"] != before.get(pi_id) or intent.get("_failed_now")
            ]
            for intent in self.payment_intents.values():
                intent.pop("_failed_now", None)
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
        _cors(handler)
        if key:
            handler.send_header("Idempotency-Key", key)
        handler.end_headers()
        handler.wfile.write(data)
        if self._webhook:  # after the answer, as Stripe's events come after its API call returns
            for intent in changed:
                self._notify(intent)

    def _route_publishable(self, method: str, path: str, form: dict, query: dict) -> tuple[int, dict]:
        """What a publishable key may do (Stripe.js in the browser): read or confirm a PaymentIntent whose
        client secret it holds. Nothing else."""
        parts = path.strip("/").split("/")
        intents = len(parts) >= 3 and parts[:2] == ["v1", "payment_intents"]
        intent = self.payment_intents.get(parts[2]) if intents else None
        secret = form.get("client_secret") or query.get("client_secret")
        if intent is None or secret != intent["client_secret"]:
            return _error(404, "invalid_request_error", "No such payment_intent", code="resource_missing")
        if method == "GET" and len(parts) == 3:
            return 200, self._public(intent)
        if method == "POST" and parts[3:] == ["confirm"]:
            return self._confirm(intent, form)
        return _error(403, "invalid_request_error", "This API call cannot be made with a publishable API key.")

    def _confirm(self, intent: dict, form: dict) -> tuple[int, dict]:
        """The card the Payment Element collected: DECLINED_CARD is refused (402, as Stripe.js reports it),
        any other number is held (manual capture) or charged."""
        if intent["status"] not in ("requires_payment_method", "requires_confirmation"):
            return _error(400, "invalid_request_error", f"This PaymentIntent is {intent['status']}.")
        number = form.get("payment_method_data[card][number]", "")
        if number == DECLINED_CARD:
            self._refuse(intent)["_failed_now"] = True
            error = _error(402, "card_error", "Your card was declined.", code="card_declined")
            error[1]["error"]["payment_intent"] = self._public(intent)
            return error
        if not number.isdigit() or not 12 <= len(number) <= 19:
            return _error(402, "card_error", "Your card number is invalid.", code="invalid_number")
        if intent["capture_method"] == "manual":
            self._hold(intent)
        else:
            intent.update(status="succeeded", amount_received=intent["amount"])
        return 200, self._public(intent)

    def _notify(self, intent: dict) -> None:
        """POST the signed event of this PaymentIntent's new status to the app, as Stripe's webhooks do."""
        event_type = EVENT_OF_STATUS.get(intent["status"])
        if intent["status"] == "requires_payment_method" and intent.get("last_payment_error"):
            event_type = "payment_intent.payment_failed"
        if event_type is None:
            return
        url, secret = self._webhook
        event = {"id": f"evt_{next(self._ids):06d}", "object": "event", "type": event_type, "data": {"object": intent}}
        payload = json.dumps(event).encode()
        request = urllib.request.Request(url, data=payload, method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("Stripe-Signature", sign(payload, secret))
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status = answer.status
        except urllib.error.HTTPError as refused:
            status = refused.code
        self.webhooks_sent.append((event_type, status))

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


def _cors(handler: BaseHTTPRequestHandler) -> None:
    handler.send_header("Access-Control-Allow-Origin", "*")
    handler.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
    handler.send_header("Access-Control-Allow-Methods", "GET, POST")


def sign(payload: bytes, secret: str, *, at: int | None = None) -> str:
    """The Stripe-Signature header of a webhook body (v1 scheme: HMAC-SHA256 of "<timestamp>.<body>")."""
    timestamp = at or int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _error(status: int, kind: str, message: str, **extra) -> tuple[int, dict]:
    return status, {"error": {"type": kind, "message": message, **extra}}
