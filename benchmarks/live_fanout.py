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
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
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

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from events.models import Client, Event, LiveNight

DAPHNE = str(Path(sys.executable).with_name("daphne"))
TITLE = re.compile(rb'"title":"bench-(\d+)"')
CONNECT_AT_ONCE = 50  # handshakes in flight: twisted listens with a backlog of 50
SETTLE_SECONDS = 10.0  # how long after the last POST's answer a missing message is waited for


# --- Servers ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Servers:
    """daphne processes serving one ASGI app; stopped (terminate, then kill) by stop() or at exit."""

    def __init__(self, app: str, count: int, env: dict[str, str], name: str):
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        for n in range(count):
            port = free_port()
            log = Path(SCRATCH_DIR) / f"{name}-{n}.log"
            command = [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "--access-log", "/dev/null", app]
            with log.open("wb") as output:
                self.processes.append(
                    subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
                )
            self.ports.append(port)
            self.logs.append(log)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        for process, port, log in zip(self.processes, self.ports, self.logs, strict=True):
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"daphne exited with {process.returncode}:\n{log.read_text()[-2000:]}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"daphne not listening on {port} after {timeout:.0f} s") from None
                    time.sleep(0.1)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []


RUNNING: list[Servers] = []


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


def start(app: str, count: int, env: dict[str, str], name: str) -> Servers:
    servers = Servers(app, count, env, name)
    RUNNING.append(servers)
    servers.wait_ready()
    return servers


def stop_all() -> None:
    while RUNNING:
        RUNNING.pop().stop()


# --- Guests: a minimal websocket client --------------------------------------------------------------------------


class Guest:
    def __init__(self):
        self.received: list[tuple[float, bytes]] = []  # (arrival, payload), parsed after the run
        self.hello = asyncio.get_running_loop().create_future()
        self.writer: asyncio.StreamWriter | None = None
        self.task: asyncio.Task | None = None

    async def connect(self, port: int, path: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer = writer
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(f"websocket refused: {head.splitlines()[0]!r}")
        self.task = asyncio.create_task(self.read(reader, writer))

    async def read(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received = self.received
        message = b""
        try:
            while True:
                first, second = await reader.readexactly(2)
                length = second & 0x7F
                if length == 126:
                    (length,) = struct.unpack("!H", await reader.readexactly(2))
                elif length == 127:
                    (length,) = struct.unpack("!Q", await reader.readexactly(8))
                payload = await reader.readexactly(length) if length else b""
                opcode = first & 0x0F
                if opcode == 0x9:  # ping: answer with a (masked) pong
                    mask = os.urandom(4)
                    masked = bytes(byte ^ mask[n % 4] for n, byte in enumerate(payload))
                    writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask + masked)
                    continue
                if opcode == 0x8:
                    return
                message += payload
                if not first & 0x80:  # fragment: wait for the rest
                    continue
                if not self.hello.done():
                    self.hello.set_result(message)
                else:
                    received.append((time.perf_counter(), message))
                message = b""
        except (asyncio.IncompleteReadError, ConnectionError):
            if not self.hello.done():
                self.hello.set_exception(RuntimeError("connection closed before hello"))

    def close(self) -> None:
        if self.task:
            self.task.cancel()
        if self.writer:
            self.writer.close()


async def connect_guests(count: int, ports: list[int], path: str) -> list[Guest]:
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)
    guests = [Guest() for _ in range(count)]

    async def join(n: int, guest: Guest) -> None:
        async with gate:
            await guest.connect(ports[n % len(ports)], path)
            hello = json.loads(await asyncio.wait_for(guest.hello, 30))
            assert hello.get("kind") == "hello", hello

    await asyncio.gather(*(join(n, guest) for n, guest in enumerate(guests)))
    return guests


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


async def run_load(args, ports: list[int], ws_path: str, post_path: str) -> dict:
    guests = await connect_guests(args.guests, ports, ws_path)
    loop = asyncio.get_running_loop()
    # Warm-up: the first request through a fresh process loads the code on its path; not measured.
    for port in ports:
        await post(port, post_path, {"title": f"warm-up {port}", "artist": "Fanout"})
    deadline = loop.time() + SETTLE_SECONDS
    while any(len(guest.received) < len(ports) for guest in guests) and loop.time() < deadline:
        await asyncio.sleep(0.1)
    for guest in guests:
        guest.received.clear()
    started = loop.time() + 0.5

    async def one(n: int) -> tuple[float, int]:
        await asyncio.sleep(max(0.0, started + n * args.interval - loop.time()))
        return await post(ports[n % len(ports)], post_path, {"title": f"bench-{n:04d}", "artist": "Fanout"})

    answers = await asyncio.gather(*(one(n) for n in range(args.requests)))
    expected = args.guests * args.requests
    deadline = loop.time() + SETTLE_SECONDS
    while sum(len(guest.received) for guest in guests) < expected and loop.time() < deadline:
        await asyncio.sleep(0.1)
    for guest in guests:
        guest.close()
    await asyncio.sleep(0.5)  # let the server see the closes and leave the group
    sent = {n: at for n, (at, status) in enumerate(answers) if status in (200, 201)}
    latencies, stray = [], 0
    for guest in guests:
        for arrival, message in guest.received:
            match = TITLE.search(message)
            if match and int(match[1]) in sent:
                latencies.append((arrival - sent[int(match[1])]) * 1000)
            else:
                stray += 1
    return {
        "answered": len(sent),
        "statuses": sorted({status for _, status in answers}),
        "expected": expected,
        "latencies": latencies,
        "stray": stray,
    }


def report(label: str, args, result: dict) -> float | None:
    latencies = result["latencies"]
    head = f"{label:<5} {args.guests} guests, {args.requests} requests"
    if result["answered"] < args.requests:
        print(f"{head}: only {result['answered']} POSTs answered 200/201 (statuses {result['statuses']})")
    if len(latencies) < 2:
        print(f"{head}: delivered {len(latencies)}/{result['expected']}")
        return None
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    print(
        f"{head}: delivered {len(latencies)}/{result['expected']}, p50 {cuts[49]:.1f} ms, "
        f"p95 {cuts[94]:.1f} ms, p99 {cuts[98]:.1f} ms, max {max(latencies):.1f} ms"
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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guests", type=int, default=500)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.15, help="seconds between POSTs")
    parser.add_argument("--layer", choices=["memory", "redis"], default="memory")
    parser.add_argument("--processes", type=int, help="daphne processes (memory: 1; redis: default 2)")
    parser.add_argument("--only", choices=["app", "bare"], help="measure one of the two")
    args = parser.parse_args()
    if args.processes is None:
        args.processes = 2 if args.layer == "redis" else 1
    if args.layer == "memory" and args.processes != 1:
        parser.error("the in-memory layer cannot span processes: use --layer redis")
    return args


def main() -> None:
    args = parse_args()
    raise_open_files(2 * args.guests + 1024)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    prefix = f"djbiz-bench-{uuid.uuid4().hex[:8]}:"
    try:
        slug = create_event()
        layer = "in-memory layer" if args.layer == "memory" else f"Redis layer ({REDIS_URL})"
        print(f"setup: daphne x{args.processes}, {layer}, SQLite, POSTs every {args.interval * 1000:.0f} ms")
        p95 = {}
        targets = [
            ("app", "djbiz.asgi:application", f"/ws/events/{slug}/", f"/api/v1/events/{slug}/requests/"),
            ("bare", "benchmarks._bare_relay_asgi:application", "/relay/", "/relay/"),
        ]
        for label, app, ws_path, post_path in targets:
            if args.only and label != args.only:
                continue
            servers = start(app, args.processes, server_env(args.layer, prefix), label)
            try:
                result = asyncio.run(run_load(args, servers.ports, ws_path, post_path))
            finally:
                stop_all()
            p95[label] = report(label, args, result)
        if p95.get("app") and p95.get("bare"):
            print(f"ratio app/bare p95: {p95['app'] / p95['bare']:.2f}")
    finally:
        stop_all()
        if args.layer == "redis":
            clear_redis(prefix)
        shutil.rmtree(SCRATCH_DIR, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
