# ruff: noqa: E402  (Django is set up from the environment chosen below before the project is imported)
"""Live feed fan-out: N websocket guests on one event, K song requests posted through the guest API; how many
feed messages reach the guests and how long after the POST was sent (p50/p95/p99), then the same through a
bare Channels relay (benchmarks/_bare_relay_asgi.py) on the same server setup, and the ratio of the two p95s.

    .venv/bin/python benchmarks/live_fanout.py [--guests 500] [--requests 20] [--interval 0.15]
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/live_fanout.py --layer redis --guests 2000

Servers: daphne subprocesses on free 127.0.0.1 ports (djbiz.asgi:application, then the bare relay), on a
throwaway SQLite file, DJANGO_ENV=test, GUEST_RATE raised. Layer "memory" (the default): one process, the
in-memory channel layer. Layer "redis": --processes daphne processes (default 2) on the Redis layer (a
fresh CHANNEL_PREFIX per run, its keys deleted at the end), guests split between them, POSTs alternating.

Guests: a minimal websocket client on asyncio streams in this process (no Origin header, as the mobile app),
kept lean so that it takes as little of the machine's CPU from the server as possible. Each POST is a new guest
(no X-Guest-Id) with a distinct title; a guest's latency for a request is the time from just before the POST's
connection is opened to the arrival of the feed message carrying that title.
"""

import argparse
import asyncio
import base64
import json
import os
import re
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRATCH_DIR = tempfile.mkdtemp(prefix="djbiz-bench-")
DATABASE_URL = f"sqlite:///{SCRATCH_DIR}/bench.sqlite3"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "djbiz.settings"
os.environ["DJANGO_ENV"] = "test"
os.environ.setdefault("LOG_LEVEL", "WARNING")
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
os.environ["REDIS_URL"] = ""  # this process only prepares the database; the servers get the layer chosen below

import django

django.setup()

import _servers
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from events.models import Client, Event, LiveNight

TITLE = re.compile(rb'"title":"bench-(\d+)"')
CONNECT_AT_ONCE = 50  # handshakes in flight: twisted listens with a backlog of 50
SETTLE_SECONDS = 10.0  # how long after the last POST's answer a missing message is waited for


# --- Servers ---------------------------------------------------------------------------------------------------


def server_env(layer: str, prefix: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_ENV": "test",
        "GUEST_RATE": "1000000/min",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": REDIS_URL if layer == "redis" else "",
        "CHANNEL_PREFIX": prefix,
        "PYTHONPATH": str(ROOT),
    }
    return env


def start(app: str, count: int, env: dict[str, str], name: str) -> _servers.Servers:
    return _servers.Servers(app, count, env, SCRATCH_DIR, name).wait_ready()


# --- Guests: a minimal websocket client --------------------------------------------------------------------------


class Guest(asyncio.Protocol):
    """One guest's websocket, as an asyncio protocol: each read is parsed in place and timestamped, with no stream
    reader, future or task per frame (the client shares the machine's two cores with the servers it measures)."""

    def __init__(self, received: list, index: int):
        self.received = received  # shared by all guests: (arrival, guest, payload), parsed after the run
        self.index = index
        self.buffer = b""
        self.upgraded = False
        self.message = b""  # a fragmented message so far
        self.hello = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        buffer = self.buffer + data if self.buffer else data
        if not self.upgraded:
            head, found, buffer = buffer.partition(b"\r\n\r\n")
            if not found:
                self.buffer = head
                return
            if not head.startswith(b"HTTP/1.1 101"):
                self.fail(f"websocket refused: {head.splitlines()[0]!r}")
                return
            self.upgraded = True
        at, size = 0, len(buffer)
        while size - at >= 2:
            first, length = buffer[at], buffer[at + 1] & 0x7F
            start = at + 2
            if length == 126:
                length, start = int.from_bytes(buffer[start : start + 2], "big"), start + 2
            elif length == 127:
                length, start = int.from_bytes(buffer[start : start + 8], "big"), start + 8
            end = start + length
            if end > size:
                break
            at = end
            opcode = first & 0x0F
            if opcode == 0x9:  # ping: answer with a masked pong
                self.transport.write(bytes([0x8A, 0x80 | length]) + bytes(4) + buffer[start:end])
            elif opcode == 0x8:
                self.transport.close()
            elif not first & 0x80:  # a fragment: keep it until the last one
                self.message += buffer[start:end]
            else:
                payload = self.message + buffer[start:end] if self.message else buffer[start:end]
                self.message = b""
                if self.hello.done():
                    self.received.append((now, self.index, payload))
                else:
                    self.hello.set_result(payload)
        self.buffer = buffer[at:]

    def connection_lost(self, exc: Exception | None) -> None:
        self.fail("connection closed before hello")

    def fail(self, reason: str) -> None:
        if not self.hello.done():
            self.hello.set_exception(RuntimeError(reason))
        if self.transport:
            self.transport.close()


async def connect_guests(count: int, ports: list[int], path: str, received: list) -> list[Guest]:
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def join(n: int) -> Guest:
        port = ports[n % len(ports)]
        async with gate:
            _, guest = await loop.create_connection(lambda: Guest(received, n), "127.0.0.1", port)
            key = base64.b64encode(os.urandom(16)).decode()
            guest.transport.write(
                (
                    f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                    f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
                ).encode()
            )
            hello = json.loads(await asyncio.wait_for(guest.hello, 30))
            assert hello.get("kind") == "hello", hello
            return guest

    return await asyncio.gather(*(join(n) for n in range(count)))


# --- Requests ----------------------------------------------------------------------------------------------------


async def post(port: int, path: str, payload: dict) -> tuple[float, int]:
    """(time just before connecting, HTTP status) of one JSON POST, as a new guest would send it."""
    body = json.dumps(payload).encode()
    sent = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        + body
    )
    answer = await reader.read()
    writer.close()
    return sent, int(answer.split(b" ", 2)[1])


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system, all threads) the processes have used so far, from /proc."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


async def run_load(scenario: "Scenario", servers: _servers.Servers, ws_path: str, post_path: str) -> dict:
    ports = servers.ports
    received: list[tuple[float, int, bytes]] = []
    guests = await connect_guests(scenario.guests, ports, ws_path, received)
    loop = asyncio.get_running_loop()
    # Warm-up: the first request through a fresh process loads the code on its path; not measured.
    for port in ports:
        await post(port, post_path, {"title": f"warm-up {port}", "artist": "Fanout"})
    deadline = loop.time() + SETTLE_SECONDS
    while len(received) < scenario.guests * len(ports) and loop.time() < deadline:
        await asyncio.sleep(0.1)
    received.clear()
    started = loop.time() + 0.5
    cpu_before = cpu_seconds([process.pid for process in servers.processes]), time.process_time()

    async def one(n: int) -> tuple[float, int]:
        await asyncio.sleep(max(0.0, started + n * scenario.interval - loop.time()))
        return await post(ports[n % len(ports)], post_path, {"title": f"bench-{n:04d}", "artist": "Fanout"})

    answers = await asyncio.gather(*(one(n) for n in range(scenario.requests)))
    expected = scenario.guests * scenario.requests
    deadline = loop.time() + SETTLE_SECONDS
    while len(received) < expected and loop.time() < deadline:
        await asyncio.sleep(0.05)
    cpu_after = cpu_seconds([process.pid for process in servers.processes]), time.process_time()
    for guest in guests:
        guest.transport.close()
    await asyncio.sleep(0.5)  # let the server see the closes and leave the group
    sent = {n: at for n, (at, status) in enumerate(answers) if status in (200, 201)}
    latencies, stray, seen = [], 0, set()
    for arrival, index, message in received:
        match = TITLE.search(message)
        number = int(match[1]) if match else None
        if number in sent and (index, number) not in seen:
            seen.add((index, number))
            latencies.append((arrival - sent[number]) * 1000)
        else:
            stray += 1
    return {
        "answered": len(sent),
        "statuses": sorted({status for _, status in answers}),
        "expected": expected,
        "latencies": latencies,
        "stray": stray,
        "server_log": "" if len(sent) == len(answers) else servers.logs[0].read_text()[-3000:],
        "server_cpu": cpu_after[0] - cpu_before[0],
        "client_cpu": cpu_after[1] - cpu_before[1],
    }


def report(label: str, scenario: "Scenario", result: dict) -> float | None:
    latencies = result["latencies"]
    head = f"{label:<5} {scenario.guests} guests, {scenario.requests} requests"
    if result["answered"] < scenario.requests:
        print(f"{head}: only {result['answered']} POSTs answered 200/201 (statuses {result['statuses']})")
        print(result["server_log"])
    if len(latencies) < 2:
        print(f"{head}: delivered {len(latencies)}/{result['expected']}")
        return None
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    per_delivery = result["server_cpu"] / len(latencies) * 1e6
    print(
        f"{head}: delivered {len(latencies)}/{result['expected']}, p50 {cuts[49]:.1f} ms, "
        f"p95 {cuts[94]:.1f} ms, p99 {cuts[98]:.1f} ms, max {max(latencies):.1f} ms; "
        f"server CPU {result['server_cpu']:.2f} s ({per_delivery:.0f} µs per delivery), "
        f"client CPU {result['client_cpu']:.2f} s"
        + (f", {result['stray']} unexpected messages" if result["stray"] else "")
    )
    return cuts[94]


# --- Main --------------------------------------------------------------------------------------------------------


def create_event() -> str:
    call_command("migrate", verbosity=0)
    event = Event.objects.create(
        title="Fanout party",
        client=Client.objects.create(name="Bench"),
        date=timezone.localdate(),
        start_time=timezone.datetime(2000, 1, 1, 18).time(),
        end_time=timezone.datetime(2000, 1, 1, 23).time(),
        status="booked",
    )
    LiveNight.objects.create(event=event, requests_open=True)
    connection.close()
    return event.slug


def raise_open_files(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def clear_redis(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def redis_reachable() -> bool:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@dataclass
class Scenario:
    layer: str
    guests: int
    processes: int
    requests: int
    interval: float

    def describe(self) -> str:
        layer = "in-memory layer" if self.layer == "memory" else f"Redis layer ({REDIS_URL})"
        return (
            f"{self.guests} guests on daphne x{self.processes}, {layer}, SQLite, {self.requests} POSTs "
            f"every {self.interval * 1000:.0f} ms; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
        )


def parse_args() -> tuple[list[Scenario], str | None]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guests", type=int, help="default 500 (memory), 2000 (redis)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.15, help="seconds between POSTs")
    parser.add_argument("--layer", choices=["memory", "redis"])
    parser.add_argument("--processes", type=int, help="daphne processes (memory: 1; redis: default 2)")
    parser.add_argument("--only", choices=["app", "bare"], help="measure one of the two")
    args = parser.parse_args()
    if args.layer == "memory" and (args.processes or 1) != 1:
        parser.error("the in-memory layer cannot span processes: use --layer redis")

    def scenario(layer: str) -> Scenario:
        guests = args.guests or (500 if layer == "memory" else 2000)
        processes = args.processes or (1 if layer == "memory" else 2)
        return Scenario(layer, guests, processes, args.requests, args.interval)

    if args.layer:
        scenarios = [scenario(args.layer)]
    elif args.guests or args.processes:
        scenarios = [scenario("redis" if (args.processes or 1) > 1 else "memory")]
    else:  # the default run (make bench): both targets of the issue, Redis when it answers
        scenarios = [scenario("memory")]
        if redis_reachable():
            scenarios.append(scenario("redis"))
        else:
            print(f"redis: skipped, nothing answers at {REDIS_URL} (set REDIS_URL)")
    if any(s.layer == "redis" for s in scenarios) and not redis_reachable():
        parser.error(f"no Redis at {REDIS_URL} (set REDIS_URL)")
    return scenarios, args.only


def measure(scenario: Scenario, slug: str, only: str | None) -> None:
    print(f"setup: {scenario.describe()}")
    prefix = f"djbiz-bench-{uuid.uuid4().hex[:8]}:"
    targets = [
        ("app", "djbiz.asgi:application", f"/ws/events/{slug}/", f"/api/v1/events/{slug}/requests/"),
        ("bare", "benchmarks._bare_relay_asgi:application", "/relay/", "/relay/"),
    ]
    p95 = {}
    try:
        for label, app, ws_path, post_path in targets:
            if only and label != only:
                continue
            servers = start(app, scenario.processes, server_env(scenario.layer, prefix), label)
            try:
                result = asyncio.run(run_load(scenario, servers, ws_path, post_path))
            finally:
                _servers.stop_all()
            p95[label] = report(label, scenario, result)
    finally:
        if scenario.layer == "redis":
            clear_redis(prefix)
    if p95.get("app") and p95.get("bare"):
        print(f"ratio app/bare p95: {p95['app'] / p95['bare']:.2f}")


def main() -> None:
    scenarios, only = parse_args()
    raise_open_files(2 * max(s.guests for s in scenarios) + 1024)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        slug = create_event()
        for scenario in scenarios:
            measure(scenario, slug, only)
    finally:
        _servers.stop_all()
        shutil.rmtree(SCRATCH_DIR, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
