"""Outbox throughput through real django-q2 workers, and "never sent twice" when the whole cluster is killed.

    .venv/bin/python benchmarks/outbox.py [--messages 300] [--workers 2] [--latency-ms 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/outbox.py

A fake Postmark (tests/fakes/postmark_server.py) on 127.0.0.1 answers each e-mail --latency-ms after taking it.
The script queues --messages e-mails with message_queue (a row and a q2 task each), starts `manage.py qcluster`
as bin/run does (EMAIL_PROVIDER=postmark pointed at the fake), and once a third of them reached the provider kills
the cluster with SIGKILL (its process group: the cluster and every worker, some of them mid-send, waiting for the
provider's answer), then starts it again. The q2 ORM broker hands the killed tasks out again after Q_RETRY; the
outbox sweep (every minute in production, every second here, with a 5 s lease) settles rows held in `sending`.

Prints messages/s sent before and after the kill, and checks: no message reached the provider twice; every message
that is not under review was sent exactly once; the ones under review are exactly those the kill caught in
`sending`; nothing is left queued or sending. Exits non-zero when a check fails.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import _scratch

ROOT = Path(__file__).resolve().parent.parent
LEASE_SECONDS = 5
Q_TIMEOUT, Q_RETRY = 4, 8


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--latency-ms", type=int, default=50)
    return parser.parse_args()


def start_cluster(env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as bin/run's setsid
        )


def kill_cluster(cluster: subprocess.Popen) -> None:
    os.killpg(cluster.pid, signal.SIGKILL)
    cluster.wait(30)


def main() -> int:
    args = parse_args()
    fake_token = "bench-token"
    _scratch.setup(
        EMAIL_PROVIDER="postmark",
        POSTMARK_SERVER_TOKEN=fake_token,
        OUTBOX_SENDING_LEASE_SECONDS=str(LEASE_SECONDS),
        SMS_QUIET_HOURS="",
    )
    from tests.fakes.postmark_server import FakePostmark

    fake = FakePostmark(token=fake_token).start()
    fake.latency = args.latency_ms / 1000
    try:
        with _scratch.scratch_database() as database:
            return measure(args, database, fake)
    finally:
        fake.stop()


def measure(args: argparse.Namespace, database: str, fake) -> int:
    from django.db import connection
    from django.utils import timezone

    from comms.models import OutboxMessage
    from comms.services.outbox import message_queue, outbox_sweep

    print(
        f"== {database}: {args.messages} e-mails, q2 cluster of {args.workers} workers, provider answers in "
        f"{args.latency_ms} ms; the cluster is killed (SIGKILL) after a third are sent"
    )
    for n in range(args.messages):
        message_queue(channel="email", to=f"guest{n}@example.com", subject=f"Invitation {n}", body="See you there")
    env = {
        **os.environ,
        "DATABASE_URL": server_database_url(connection),
        "POSTMARK_API_URL": fake.url,
        "Q_WORKERS": str(args.workers),
        "Q_TIMEOUT": str(Q_TIMEOUT),
        "Q_RETRY": str(Q_RETRY),
        "PYTHONPATH": str(ROOT),
    }
    connection.close()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"outbox-bench-{os.getpid()}.log"
    cluster = start_cluster(env, log)
    first = wait_for(lambda: len(fake.emails) >= 1)
    wait_for(lambda: len(fake.emails) >= args.messages // 3)
    before_kill = (len(fake.emails) - 1) / (time.monotonic() - first)
    kill_cluster(cluster)
    caught = set(OutboxMessage.objects.filter(status="sending").values_list("uuid", flat=True))
    sent_at_kill = len(fake.emails)
    cluster = start_cluster(env, log)
    resumed = wait_for(lambda: len(fake.emails) > sent_at_kill)
    deadline = time.monotonic() + 600
    try:
        while OutboxMessage.objects.filter(status__in=("queued", "sending")).exists():
            if time.monotonic() > deadline:
                print("!! timed out waiting for the outbox to drain")
                return 1
            outbox_sweep(now=timezone.now())  # what the every-minute schedule does
            time.sleep(1)
    finally:
        kill_cluster(cluster)
    after_kill = (len(fake.emails) - sent_at_kill - 1) / (fake.last_request_at - resumed)

    at_provider = Counter(email["Metadata"]["outbox_id"] for email in fake.emails)
    statuses = Counter(OutboxMessage.objects.values_list("status", flat=True))
    review = {str(u) for u in OutboxMessage.objects.filter(status="review").values_list("uuid", flat=True)}
    sent = {str(u) for u in OutboxMessage.objects.filter(status="sent").values_list("uuid", flat=True)}
    caught = {str(u) for u in caught}
    print(
        f"   sent {before_kill:.1f} messages/s before the kill, {after_kill:.1f}/s after the restart "
        f"(from each phase's first message to its last; the killed tasks come back after q2's {Q_RETRY} s)"
    )
    print(
        f"   statuses: {dict(statuses)}; the kill caught {len(caught)} in sending, "
        f"{len(caught & set(at_provider))} of them already at the provider"
    )
    checks = {
        "no message reached the provider twice": max(at_provider.values()) == 1,
        "every sent message reached the provider once": all(at_provider[u] == 1 for u in sent),
        "review holds exactly the messages the kill caught mid-send": review == caught,
        "nothing left queued or sending": statuses["queued"] == statuses["sending"] == 0,
        "every message accounted for": statuses["sent"] + statuses["review"] == args.messages,
    }
    for name, ok in checks.items():
        print(f"   {'ok ' if ok else 'FAIL'} {name}")
    return 0 if all(checks.values()) else 1


def wait_for(condition, timeout: float = 300) -> float:
    """Poll until `condition()`; the monotonic time it became true."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the outbox made no progress (see the qcluster log in TMPDIR)")
        time.sleep(0.005)
    return time.monotonic()


def server_database_url(connection) -> str:
    from urllib.parse import urlsplit, urlunsplit

    if connection.vendor == "sqlite":
        return os.environ["DATABASE_URL"]
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


if __name__ == "__main__":
    sys.exit(main())
