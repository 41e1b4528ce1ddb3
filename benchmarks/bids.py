"""Sustained bid throughput through real daphne processes, with a correctness check, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bids.py [--seconds 10] [--guests 300] [--connections 32] [--rate 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python benchmarks/bids.py          # SQLite, then PostgreSQL (+ Redis layer and cache)

Servers: --processes daphne processes on free 127.0.0.1 ports, started as production starts them
(benchmarks/_servers.py), DJANGO_ENV=test (DEBUG off), pledge mode (no Stripe keys), GUEST_RATE raised. SQLite:
a throwaway file in WAL mode, the in-memory channel layer and local-memory cache (the embedded stack). PostgreSQL
(when DATABASE_URL names one and it answers): a scratch test database on it, and Redis for the channel layer and
the cache when REDIS_URL is set, as production runs.

Load: a lean asyncio HTTP/1.1 client in this process (keep-alive connections spread over the servers, as a load
balancer pools its upstream connections) posts bids of --guests distinct guests (each its own X-Guest-Id) on 20
requests in the open round. Rounds last 2 s and a closer thread closes them every 0.25 s, as the q2 schedule
would, so bids race the close. Every tenth accepted bid is posted again with the same client_request_id, as a
retrying phone would. Two phases of --seconds each:
- saturation: every connection posts its next bid as soon as the last is answered (closed loop): the most bids/s
  the servers answer;
- offered --rate bids/s (open loop, Poisson arrivals): latency at the target load, measured from each bid's
  scheduled time, so a server that falls behind shows it.
Prints bids/s answered (accepted, or refused with a reason: 409 too low / round closed), latency p50/p95/p99,
the servers' CPU per bid, and checks: no accepted bid lost, none stored twice, every retry answered with the same
bid, within each round every accepted bid beat the one before it by the increment, each closed round won by its
highest bid (ties: earliest) with no bid left open, each request's top bid the highest on it, and the open round's
leader (GET round/) its highest bid. Exits non-zero when a check fails.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import _servers

ROUND_SECONDS = 2
CLOSE_EVERY_SECONDS = 0.25
SONGS = 20
MIN_BID_CENTS, INCREMENT_CENTS = 500, 100
SKIPPED = 3  # exit status of a child whose database is not reachable
REFUSAL_CODES = {"bid_too_low", "round_closed", "bidding_closed"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--guests", type=int, default=300, help="distinct guests bidding")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections, spread over servers")
    parser.add_argument("--processes", type=int, default=2, help="daphne processes")
    parser.add_argument("--rate", type=float, default=200.0, help="bids/s offered in the second phase (0: skip)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    return parser.parse_args()


# --- The parent: one child process per database ---------------------------------------------------------------


def main() -> None:
    args = parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = database_url.startswith(("postgres://", "postgresql://"))
    runs = []
    if args.backend in ("sqlite", "both"):
        runs.append(("sqlite", {"DATABASE_URL": "", "REDIS_URL": ""}))
    if args.backend in ("postgresql", "both"):
        if on_postgres:
            runs.append(("postgresql", {}))
        else:
            print("== PostgreSQL: skipped (set DATABASE_URL=postgres://… to measure it)")
    failed = False
    for backend, overrides in runs:
        env = {**os.environ, **overrides, "BENCH_CHILD": backend}
        child = subprocess.run([sys.executable, __file__, *sys.argv[1:]], env=env)
        if child.returncode == SKIPPED:
            continue
        failed |= child.returncode != 0
    if failed:
        sys.exit(1)


# --- A child: Django on one database, the servers, the load, the check ------------------------------------------


def run_child(args: argparse.Namespace) -> int:
    import _scratch

    _scratch.setup(GUEST_RATE="1000000/min", STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="")
    from django.db import OperationalError

    try:
        with _scratch.scratch_database() as database:
            return measure(args, database)
    except OperationalError as error:
        if _servers.RUNNING:
            raise
        print(f"== PostgreSQL: skipped, not reachable ({str(error).strip().splitlines()[0]})")
        return SKIPPED
    finally:
        _servers.stop_all()


def measure(args: argparse.Namespace, database: str) -> int:
    from django.conf import settings
    from django.db import connection

    from events.guests import sign_guest_id

    slug, songs = setup_night()
    url = server_database_url(connection)
    connection.close()
    redis_url = settings.REDIS_URL
    layer = f"Redis layer and cache ({redis_url})" if redis_url else "in-memory layer, local-memory cache"
    print(
        f"== {database}: daphne x{args.processes}, {layer}; {args.guests} guests over {args.connections} keep-alive "
        f"connections; rounds of {ROUND_SECONDS} s closed every {CLOSE_EVERY_SECONDS} s"
    )
    prefix = f"djbiz-bench-{uuid.uuid4().hex[:8]}:"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": prefix,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(_servers.ROOT),
    }
    scratch = Path(os.environ.get("TMPDIR", "/tmp"))
    servers = _servers.Servers("djbiz.asgi:application", args.processes, env, scratch, f"bids-{os.getpid()}")
    servers.wait_ready()
    guests = [Guest(sign_guest_id(uuid.uuid4()), n) for n in range(args.guests)]
    load = Load(slug, songs, guests, servers.ports, args.connections)
    closer = Closer()

    async def drive() -> tuple[list[Phase], float, dict | None]:
        await load.open()
        await load.warm_up()
        closer.start()
        cpu_before = servers_cpu_seconds(servers.pids)
        phases = [await load.saturate(args.seconds)]
        if args.rate:
            phases.append(await load.offer(args.rate, args.seconds))
        cpu = servers_cpu_seconds(servers.pids) - cpu_before
        closer.stop()
        leader = await load.leader()
        load.close()
        return phases, cpu, leader

    try:
        phases, cpu, leader = asyncio.run(drive())
    finally:
        closer.stop()
        servers.stop()
        if redis_url:
            clear_redis(redis_url, prefix)
    for phase in phases:
        print(phase.summary())
    answered = sum(phase.answered for phase in phases)
    print(
        f"servers' CPU: {cpu * 1000 / max(answered, 1):.2f} ms per answered bid (over {args.processes} processes); "
        f"rounds closed: {closer.closed}" + (f"; closer errors: {closer.errors[:2]}" if closer.errors else "")
    )
    problems = check(slug, load, leader) + closer.errors
    print("correctness: " + ("OK (none lost, none twice, every leader and winner the highest)" if not problems else ""))
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    return 1 if problems else 0


def setup_night() -> tuple[str, list[str]]:
    from django.utils import timezone

    from accounts.models import Role, User
    from events.models import Client, Event, LiveNight, SongRequest
    from events.services import bidding_open

    staff = User.objects.create_user("bench@example.com", "bench-password", role=Role.STAFF)
    event = Event.objects.create(
        title="Bench party",
        client=Client.objects.create(name="Bench"),
        date=timezone.localdate(),
        start_time=timezone.datetime(2000, 1, 1, 18).time(),
        end_time=timezone.datetime(2000, 1, 1, 23).time(),
        status="booked",
    )
    LiveNight.objects.create(
        event=event, round_seconds=ROUND_SECONDS, min_bid_cents=MIN_BID_CENTS, min_increment_cents=INCREMENT_CENTS
    )
    bidding_open(actor=staff, event=event)
    songs = [
        SongRequest.objects.create(event=event, guest_id=uuid.uuid4(), title=f"Song {n}", normalized=f"song {n}")
        for n in range(SONGS)
    ]
    return event.slug, [str(song.pk) for song in songs]


def server_database_url(connection) -> str:
    """The URL of the database this process set up (the scratch test database on a server), for the servers."""
    if connection.vendor == "sqlite":
        return os.environ["DATABASE_URL"]
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def servers_cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def clear_redis(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


class Closer:
    """Closes due rounds every CLOSE_EVERY_SECONDS in a thread, as the q2 schedule would (more often)."""

    def __init__(self):
        self.closed = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        from django.db import connection
        from django.utils import timezone

        from events.services import rounds_close_due

        try:
            while not self._stop.wait(CLOSE_EVERY_SECONDS):
                self.closed += rounds_close_due(now=timezone.now())
        except Exception as error:  # shows in the correctness report
            self.errors.append(f"closer: {error!r}")
        finally:
            connection.close()


# --- The load generator ------------------------------------------------------------------------------------------


class Guest:
    def __init__(self, token: str, number: int):
        self.token = token
        self.number = number
        self.bids = 0


class Connection:
    """One keep-alive HTTP/1.1 connection: a request at a time, answers read by their Content-Length."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, token: str, body: bytes = b"") -> tuple[int, bytes]:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nX-Guest-Id: {token}\r\n"
            f"Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        answer_head = await self.reader.readuntil(b"\r\n\r\n")
        lines = answer_head.split(b"\r\n")
        length = None
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            raise RuntimeError(f"answer without Content-Length: {answer_head[:200]!r}")
        return int(lines[0].split(b" ", 2)[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer:
            self.writer.close()


class Phase:
    def __init__(self, name: str):
        self.name = name
        self.answered = 0
        self.accepted = 0
        self.refused: Counter = Counter()
        self.latencies: list[float] = []
        self.elapsed = 0.0

    def summary(self) -> str:
        rate = self.answered / self.elapsed if self.elapsed else 0.0
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive") if len(self.latencies) > 1 else [0] * 99
        refused = ", ".join(f"{code} {count}" for code, count in self.refused.most_common())
        return (
            f"{self.name}: {self.answered} answered in {self.elapsed:.1f} s = {rate:.0f} bids/s "
            f"(accepted {self.accepted} = {self.accepted / max(self.elapsed, 1e-9):.0f}/s, refused with a reason "
            f"{sum(self.refused.values())}: {refused or 'none'}); latency p50 {cuts[49]:.1f} ms, "
            f"p95 {cuts[94]:.1f} ms, p99 {cuts[98]:.1f} ms"
        )


class Load:
    """The guests' side: what they post, what they were answered, and what they believe the leader is (racy on
    purpose: some bids come in too low, as on a real night)."""

    def __init__(self, slug: str, songs: list[str], guests: list[Guest], ports: list[int], connections: int):
        self.slug = slug
        self.bids_path = f"/api/v1/events/{slug}/bids/"
        self.songs = songs
        self.guests = guests
        self.ports = ports
        self.count = connections
        self.rng = random.Random(42)
        self.next_guest = 0
        self.round_id: str | None = None
        self.highest = 0
        self.accepted: dict[str, tuple[str, int]] = {}  # bid id -> (round id, amount)
        self.accepted_count = 0
        self.retries_ok = 0
        self.retries_bad: list[str] = []
        self.errors: list[str] = []
        self.connections: list[Connection] = []

    async def open(self) -> None:
        self.connections = [Connection(self.ports[n % len(self.ports)]) for n in range(self.count)]
        await asyncio.gather(*(connection.open() for connection in self.connections))

    def close(self) -> None:
        for connection in self.connections:
            connection.close()

    async def warm_up(self) -> None:
        """The first requests through a fresh process load the code on their path; not measured."""
        for connection in self.connections[: 4 * len(self.ports)]:
            await connection.request("GET", f"/api/v1/events/{self.slug}/round/", self.guests[0].token)

    async def leader(self) -> dict | None:
        status, body = await self.connections[0].request(
            "GET", f"/api/v1/events/{self.slug}/round/", self.guests[0].token
        )
        return json.loads(body) if status == 200 else None

    def next_bid(self) -> tuple[Guest, bytes]:
        guest = self.guests[self.next_guest % len(self.guests)]
        self.next_guest += 1
        guest.bids += 1
        amount = max(MIN_BID_CENTS, self.highest + INCREMENT_CENTS + self.rng.choice([0, 0, 50, 100, 300]))
        body = {
            "request_id": self.rng.choice(self.songs),
            "amount_cents": amount,
            "client_request_id": f"{guest.number}-{guest.bids}",
        }
        return guest, json.dumps(body).encode()

    async def bid(self, connection: Connection, phase: Phase, sent_at: float) -> None:
        guest, body = self.next_bid()
        status, answer = await connection.request("POST", self.bids_path, guest.token, body)
        phase.latencies.append((time.perf_counter() - sent_at) * 1000)
        phase.answered += 1
        if status == 201:
            data = json.loads(answer)
            self.accepted[data["id"]] = (data["round_id"], data["amount_cents"])
            phase.accepted += 1
            if data["round_id"] != self.round_id:
                self.round_id, self.highest = data["round_id"], data["amount_cents"]
            else:
                self.highest = max(self.highest, data["amount_cents"])
            self.accepted_count += 1
            if self.accepted_count % 10 == 0:
                await self.retry(connection, phase, guest, body, data["id"])
        elif status == 409:
            code = json.loads(answer).get("code")
            phase.refused[code] += 1
            if code not in REFUSAL_CODES:
                self.errors.append(f"409 {answer[:200]!r}")
            elif code == "bid_too_low":
                self.highest = max(self.highest, json.loads(body)["amount_cents"])
            else:  # the round closed: the next one starts from the minimum
                self.highest = 0
        else:
            self.errors.append(f"{status}: {answer[:200]!r}")

    async def retry(self, connection: Connection, phase: Phase, guest: Guest, body: bytes, bid_id: str) -> None:
        sent_at = time.perf_counter()
        status, answer = await connection.request("POST", self.bids_path, guest.token, body)
        phase.latencies.append((time.perf_counter() - sent_at) * 1000)
        phase.answered += 1
        if status == 200 and json.loads(answer)["id"] == bid_id:
            self.retries_ok += 1
        else:
            self.retries_bad.append(f"{status}: {answer[:200]!r}")

    async def saturate(self, seconds: float) -> Phase:
        phase = Phase("saturation (closed loop)")
        started = time.perf_counter()
        stop = started + seconds

        async def work(connection: Connection) -> None:
            while (now := time.perf_counter()) < stop:
                await self.bid(connection, phase, now)

        await asyncio.gather(*(work(connection) for connection in self.connections))
        phase.elapsed = time.perf_counter() - started
        return phase

    async def offer(self, rate: float, seconds: float) -> Phase:
        phase = Phase(f"offered {rate:.0f} bids/s (open loop)")
        pool: asyncio.Queue = asyncio.Queue()
        for connection in self.connections:
            pool.put_nowait(connection)

        async def arrive(at: float) -> None:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            connection = await pool.get()
            try:
                await self.bid(connection, phase, at)
            finally:
                pool.put_nowait(connection)

        started = time.perf_counter()
        arrivals, at = [], started
        while (at := at + self.rng.expovariate(rate)) < started + seconds:
            arrivals.append(arrive(at))
        await asyncio.gather(*arrivals)
        phase.elapsed = time.perf_counter() - started
        return phase


# --- The check -----------------------------------------------------------------------------------------------------


def check(slug: str, load: Load, leader: dict | None) -> list[str]:
    from itertools import pairwise

    from django.db.models import Count, Max

    from events.models import Bid, BiddingRound, SongRequest

    problems: list[str] = []
    bids = Bid.objects.filter(round__event__slug=slug)
    stored = {str(pk) for pk in bids.values_list("pk", flat=True)}
    if stored != set(load.accepted):
        lost, unexpected = len(set(load.accepted) - stored), len(stored - set(load.accepted))
        problems.append(f"accepted bids lost: {lost}, stored but never accepted: {unexpected}")
    twice = bids.values("guest_id", "client_request_id").annotate(n=Count("id")).filter(n__gt=1).count()
    if twice:
        problems.append(f"{twice} client_request_ids stored more than once")
    if load.retries_bad:
        problems.append(f"retries answered wrongly: {load.retries_bad[:3]}")
    if load.errors:
        problems.append(f"unexpected answers: {len(load.errors)}, e.g. {load.errors[:3]}")
    for bidding_round in BiddingRound.objects.filter(event__slug=slug):
        in_round = list(bidding_round.bids.order_by("created_at", "id").values_list("pk", "amount_cents", "outcome"))
        if any(b[1] - a[1] < INCREMENT_CENTS for a, b in pairwise(in_round)):
            problems.append(f"round {bidding_round.number}: a bid was accepted without beating the leader")
        best = max(in_round, key=lambda bid: bid[1], default=None)  # amounts rise: the highest is the earliest such
        if bidding_round.closed_at is not None:
            if bidding_round.winning_bid_id != (best[0] if best else None):
                problems.append(f"round {bidding_round.number}: the winner is not the highest accepted bid")
            if any(outcome == "open" for _, _, outcome in in_round):
                problems.append(f"round {bidding_round.number}: a bid was accepted after the winner was picked")
        else:
            shown = leader and leader["leader"] and leader["leader"]["amount_cents"]
            if leader is None or leader["id"] != str(bidding_round.pk) or shown != (best[1] if best else None):
                problems.append(f"open round: GET round/ shows {leader}, the highest bid is {best}")
    tops = SongRequest.objects.filter(event__slug=slug).annotate(best=Max("bids__amount_cents"))
    if any(song.top_bid_cents != (song.best or 0) for song in tops):
        problems.append("a request's top bid is not the highest bid on it")
    return problems


if __name__ == "__main__":
    arguments = parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    if os.environ.get("BENCH_CHILD"):
        sys.exit(run_child(arguments))
    main()
