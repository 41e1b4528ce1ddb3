"""A worker killed (SIGKILL) in the middle of closing a round: after django-q2's retry the round is closed once
and the winner charged once (issue 4, "Tests").

Real parts only: a scratch database (an SQLite file, or a PostgreSQL database when the suite runs on
PostgreSQL) migrated by `manage.py migrate`, `manage.py qcluster` on the ORM broker as a subprocess, Stripe mode
against the fake Stripe API (tests/fakes/stripe_server.py) on 127.0.0.1.

Where the middle is: the round itself closes in one transaction (claim, winner, next round), so a kill there
just rolls it back. What can be cut in half is the close's payment: after the commit, billing's settle_round
task captures the winner at Stripe and releases the other cards. The fake Stripe holds the capture request
open; the test finds the q2 worker process that sent it (by its TCP connection) and SIGKILLs it, then lets the
cluster pick the task up again after Q_RETRY seconds. Two ways the capture can be cut:

- Stripe captured, but the answer died with the worker (only that worker is killed; q2's sentinel starts a
  new one and the same cluster retries the task);
- the request never reached Stripe (the whole cluster is killed, as when a machine dies, and a new qcluster
  is started).
"""

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.fakes.stripe_server import FakeStripe

ROOT = Path(__file__).resolve().parents[2]
MARK = "RESULT:"
Q_TIMEOUT, Q_RETRY = 5, 8  # q2 hands a task out again Q_RETRY seconds after a worker took it

SETUP = f"""
import json, uuid
from datetime import timedelta
from django.utils import timezone
from billing.services import bid_authorize
from events.models import Bid, LiveNight, SongRequest
from events.services import bid_place, bidding_open
from tests.factories import EventFactory, UserFactory

now = timezone.now()
dj = UserFactory(role="staff", email="dj@example.com")
event = EventFactory(title="Killed worker night")
LiveNight.objects.create(event=event, round_seconds=60, min_bid_cents=500, min_increment_cents=100)
bidding_open(actor=dj, event=event, now=now - timedelta(seconds=120))  # round 1 ended a minute ago
intents = {{}}
for name, title, amount in (("loser", "Jolene", 600), ("winner", "September", 900)):
    song = SongRequest.objects.create(event=event, guest_id=uuid.uuid4(), title=title, normalized=title.lower())
    bid, _ = bid_place(
        event=event, guest_id=uuid.uuid4(), request_id=song.pk, amount_cents=amount,
        client_request_id=name, now=now - timedelta(seconds=90),
    )
    bid_authorize(bid_id=bid.pk)
    intents[name] = Bid.objects.get(pk=bid.pk).payment_intent_id
print("{MARK}" + json.dumps({{"event": event.pk, "intents": intents}}))
"""

# Stripe reports the confirmed cards by webhook; then the close is enqueued, as the schedule would.
AUTHORIZE_AND_ENQUEUE = """
import json, os
from django_q.tasks import async_task
from billing.services import webhook_receive

for intent in json.loads(os.environ["AUTHORIZED_INTENTS"]):
    kind = "payment_intent.amount_capturable_updated"
    webhook_receive(event={"id": "evt_" + intent["id"], "type": kind, "data": {"object": intent}})
async_task("events.tasks.close_due_rounds")
"""

STATE = f"""
import json, os
from django_q.models import OrmQ, Task
from events.models import Bid, BiddingRound

event_id = int(os.environ["EVENT_ID"])
print("{MARK}" + json.dumps({{
    "rounds": list(BiddingRound.objects.filter(event_id=event_id).order_by("number").values_list(
        "number", "closed_at", "winning_bid__payment_intent_id")),
    "bids": {{bid.payment_intent_id: [bid.outcome, bid.payment] for bid in Bid.objects.all()}},
    "closed_per_run": list(Task.objects.filter(func="events.tasks.close_due_rounds").values_list("result", flat=True)),
    "settle_runs": list(Task.objects.filter(func="billing.tasks.settle_round").values_list("success", flat=True)),
    "queued": OrmQ.objects.count(),
}}, default=str))
"""


class CaptureHoldingStripe(FakeStripe):
    """The fake Stripe API, holding the first capture request open until the test says the worker is dead.
    `reaches_stripe`: the capture is made before the hold (only its answer is lost) or never made."""

    def __init__(self, *, reaches_stripe: bool):
        super().__init__()
        self.reaches_stripe = reaches_stripe
        self.captures: dict[str, int] = {}  # PaymentIntent id -> captures actually made
        self.capture_held = threading.Event()
        self.worker_dead = threading.Event()
        self.held_client_port = 0

    def _serve(self, handler, method):
        if method == "POST" and handler.path.endswith("/capture") and not self.capture_held.is_set():
            if self.reaches_stripe:
                handler.wfile = io.BytesIO()  # Stripe does the work; the answer goes nowhere
                super()._serve(handler, method)
            else:
                handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
                with self._lock:
                    self.requests.append((method, handler.path))
            self.held_client_port = handler.client_address[1]
            self.capture_held.set()
            self.worker_dead.wait(30)
            handler.close_connection = True
            return
        super()._serve(handler, method)

    def _capture(self, intent):
        status, body = super()._capture(intent)
        if status == 200:
            self.captures[intent["id"]] = self.captures.get(intent["id"], 0) + 1
        return status, body


@pytest.fixture
def database_url(tmp_path):
    """A scratch database on the suite's engine: an SQLite file, or a new PostgreSQL database on the server."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'killed-worker.sqlite3'}"
        return
    import psycopg

    name = f"djbiz_killed_worker_{uuid.uuid4().hex[:12]}"
    server = {"host": default["HOST"], "port": default["PORT"] or 5432, "user": default["USER"]}
    if default["PASSWORD"]:
        server["password"] = default["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{default['PASSWORD']}" if default["PASSWORD"] else ""
    yield f"postgres://{default['USER']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(env: dict, *args: str, script: str = "", timeout: float = 60) -> dict:
    command = [sys.executable, "manage.py", *args] + (["shell", "-c", script] if script else [])
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    return json.loads(lines[-1][len(MARK) :]) if lines else {}


def _start_cluster(env: dict, log: Path) -> subprocess.Popen:
    with log.open("a") as out:  # its own process group: the test can end the whole cluster by its id
        return subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )


def _stop_cluster(cluster: subprocess.Popen) -> None:
    if cluster.poll() is None:
        cluster.terminate()  # q2 stops its processes and exits
        try:
            cluster.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait(5)


def _pid_with_client_port(port: int, process_group: int) -> int:
    """The process of `process_group` that holds the TCP connection whose local port is `port` (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[2]) != process_group:
                continue
            if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                return int(proc.name)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    raise AssertionError(f"no process of group {process_group} holds a connection from port {port}")


def _until(condition, *, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; qcluster log:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)
    return result


@pytest.mark.parametrize(
    ("reaches_stripe", "kill"),
    [(True, "worker"), (False, "cluster")],
    ids=["capture-made-answer-lost-worker-killed", "capture-lost-cluster-killed"],
)
def test_a_worker_killed_while_closing_a_round_closes_it_once_and_charges_the_winner_once(
    database_url, tmp_path, reaches_stripe, kill
):
    stripe = CaptureHoldingStripe(reaches_stripe=reaches_stripe).start()
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": database_url,
        "STRIPE_SECRET_KEY": "sk_test_fake",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_fake",
        "STRIPE_WEBHOOK_SECRET": "whsec_test_secret",
        "STRIPE_API_BASE": stripe.url,
        "Q_WORKERS": "2",
        "Q_TIMEOUT": str(Q_TIMEOUT),
        "Q_RETRY": str(Q_RETRY),
        "Q_MAX_ATTEMPTS": "3",
    }
    log = tmp_path / "qcluster.log"
    clusters: list[subprocess.Popen] = []
    try:
        _manage(env, "migrate", "--verbosity", "0", timeout=120)
        night = _manage(env, script=SETUP)
        winner, loser = night["intents"]["winner"], night["intents"]["loser"]
        env["EVENT_ID"] = str(night["event"])
        env["AUTHORIZED_INTENTS"] = json.dumps([stripe.authorize(winner), stripe.authorize(loser)])
        _manage(env, script=AUTHORIZE_AND_ENQUEUE)

        clusters.append(_start_cluster(env, log))
        _until(stripe.capture_held.is_set, seconds=30, what="the winner's capture", log=log)
        if kill == "worker":
            os.kill(_pid_with_client_port(stripe.held_client_port, clusters[0].pid), signal.SIGKILL)
        else:
            os.killpg(clusters[0].pid, signal.SIGKILL)
            clusters[0].wait(5)
        stripe.worker_dead.set()
        killed_at = time.monotonic()
        if kill == "cluster":
            clusters.append(_start_cluster(env, log))

        def settled():
            intents = stripe.payment_intents
            return intents[winner]["status"] == "succeeded" and intents[loser]["status"] == "canceled"

        _until(settled, seconds=Q_RETRY + 20, what="the retried settle task", log=log)
        assert time.monotonic() - killed_at > Q_RETRY - 2  # it was q2's retry that finished the job

        def state_settled():
            state = _manage(env, script=STATE)
            return state if state["settle_runs"] == [True] and state["queued"] == 0 else None

        state = _until(state_settled, seconds=20, what="the settle task's result", log=log)
    finally:
        stripe.worker_dead.set()
        for cluster in clusters:
            _stop_cluster(cluster)
        stripe.stop()

    (first, second) = state["rounds"]
    assert first[0] == 1 and first[1] is not None and first[2] == winner  # closed, with the highest bid winning
    assert second[0] == 2 and second[1] is None  # the next round, started once
    assert sum(state["closed_per_run"]) == 1  # however often close_due_rounds ran, one round was closed
    assert state["bids"] == {winner: ["won", "captured"], loser: ["lost", "cancelled"]}
    assert stripe.captures == {winner: 1}  # charged once
    capture_path = f"/v1/payment_intents/{winner}/capture"
    sent = [path for method, path in stripe.requests if path == capture_path]
    assert len(sent) == (1 if reaches_stripe else 2)  # the retry found the charge made, or made it (same key)
    assert ("GET", f"/v1/payment_intents/{winner}") in stripe.requests
    assert stripe.requests.count(("GET", f"/v1/payment_intents/{winner}")) == 2  # the killed try and the retry
