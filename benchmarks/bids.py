# ruff: noqa: E402  (Django is set up from the environment chosen below before the project is imported)
"""Sustained bid throughput over the guest API, with a correctness check.

BENCH_THREADS guests (default 8) post bids to POST /api/v1/events/<slug>/bids/ for BENCH_SECONDS (default 15)
while a closer thread closes rounds as the q2 schedule would (rounds of 2 s here, so bids race closes). Every
tenth bid is posted twice with the same client_request_id, as a retrying phone would. Prints bids/s answered,
accepted vs refused (by reason), and checks: no accepted bid lost, none counted twice, every retry answered with
the same bid, each closed round won by its highest accepted bid (ties: earliest), the open round led by its highest.

Runs in-process (django.test.Client per thread, each with its own database connection, pledge mode, throttling
raised) on a throwaway SQLite file in WAL mode; with DATABASE_URL set, on a scratch test database on that server.
"""

import os
import random
import sys
import threading
import time
import uuid
from collections import Counter

import _scratch

_scratch.setup(GUEST_RATE="1000000/min", STRIPE_SECRET_KEY="")

from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import Role, User
from events.guests import HEADER, sign_guest_id
from events.models import Bid, BiddingRound, Client, Event, LiveNight, SongRequest
from events.services import bidding_open, rounds_close_due

THREADS = int(os.environ.get("BENCH_THREADS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
ROUND_SECONDS = 2
REQUESTS = 20


def setup_night() -> tuple[Event, list[SongRequest]]:
    staff = User.objects.create_user("bench@example.com", "bench-password", role=Role.STAFF)
    event = Event.objects.create(
        title="Bench party",
        client=Client.objects.create(name="Bench"),
        date=timezone.localdate(),
        start_time=timezone.datetime(2000, 1, 1, 18).time(),
        end_time=timezone.datetime(2000, 1, 1, 23).time(),
        status="booked",
    )
    LiveNight.objects.create(event=event, round_seconds=ROUND_SECONDS, min_bid_cents=500, min_increment_cents=100)
    bidding_open(actor=staff, event=event)
    songs = [
        SongRequest.objects.create(event=event, guest_id=uuid.uuid4(), title=f"Song {n}", normalized=f"song {n}")
        for n in range(REQUESTS)
    ]
    return event, songs


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers = 0
        self.accepted: dict[str, tuple[str, int]] = {}  # bid id -> (round id, amount)
        self.refused: Counter = Counter()
        self.errors: list[str] = []
        self.retries_ok = 0
        self.retries_bad: list[str] = []
        self.highest = 0  # what the guests believe the leader is (racy on purpose: some bids come in too low)


def guest(event: Event, songs: list[SongRequest], tally: Tally, stop: float, seed: int) -> None:
    rng = random.Random(seed)
    http = HttpClient(headers={HEADER: sign_guest_id(uuid.uuid4())})
    url = f"/api/v1/events/{event.slug}/bids/"
    n = 0
    try:
        while time.monotonic() < stop:
            n += 1
            body = {
                "request_id": str(rng.choice(songs).pk),
                "amount_cents": max(500, tally.highest + 100 + rng.choice([0, 0, 50, 100, 300])),
                "client_request_id": f"{seed}-{n}",
            }
            answer = http.post(url, body, content_type="application/json")
            with tally.lock:
                tally.answers += 1
                if answer.status_code == 201:
                    data = answer.json()
                    tally.accepted[data["id"]] = (data["round_id"], data["amount_cents"])
                    tally.highest = max(tally.highest, data["amount_cents"])
                elif answer.status_code == 409:
                    tally.refused[answer.json()["code"]] += 1
                else:
                    tally.errors.append(f"{answer.status_code}: {answer.content[:200]!r}")
            if answer.status_code == 201 and n % 10 == 0:
                again = http.post(url, body, content_type="application/json")
                with tally.lock:
                    tally.answers += 1
                    if again.status_code == 200 and again.json()["id"] == answer.json()["id"]:
                        tally.retries_ok += 1
                    else:
                        tally.retries_bad.append(f"{again.status_code}: {again.content[:200]!r}")
    finally:
        connection.close()


def closer(stop: float, closed: list[int]) -> None:
    try:
        while time.monotonic() < stop:
            closed.append(rounds_close_due(now=timezone.now()))
            time.sleep(0.25)
    finally:
        connection.close()


def check(event: Event, tally: Tally) -> list[str]:
    problems: list[str] = []
    stored = dict(Bid.objects.filter(round__event=event).values_list("pk", "amount_cents"))
    stored = {str(pk): amount for pk, amount in stored.items()}
    if set(stored) != set(tally.accepted):
        problems.append(
            f"bids lost: {len(set(tally.accepted) - set(stored))}, unexpected: {len(set(stored) - set(tally.accepted))}"
        )
    if tally.retries_bad:
        problems.append(f"retries answered wrongly: {tally.retries_bad[:3]}")
    if tally.errors:
        problems.append(f"errors: {len(tally.errors)}, e.g. {tally.errors[:3]}")
    for bidding_round in BiddingRound.objects.filter(event=event):
        bids = Bid.objects.filter(round=bidding_round).order_by("-amount_cents", "created_at", "id")
        best = bids.first()
        if bidding_round.closed_at is not None:
            if bidding_round.winning_bid_id != (best.pk if best else None):
                problems.append(f"round {bidding_round.number}: the winner is not the highest accepted bid")
            if bids.filter(outcome="open").exists():
                problems.append(f"round {bidding_round.number}: a bid was accepted after the winner was picked")
        elif best is not None and best.amount_cents != max(bids.values_list("amount_cents", flat=True)):
            problems.append("open round: the leader is not the highest accepted bid")
    return problems


def main() -> None:
    with _scratch.scratch_database() as database:
        print(f"database: {database}, {THREADS} guests, {SECONDS:.0f} s")
        event, songs = setup_night()
        connection.close()
        tally, closed = Tally(), []
        started = time.monotonic()
        stop = started + SECONDS
        threads = [threading.Thread(target=guest, args=(event, songs, tally, stop, n)) for n in range(THREADS)]
        threads.append(threading.Thread(target=closer, args=(stop, closed)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        refused = sum(tally.refused.values())
        print(f"answered: {tally.answers} in {elapsed:.1f} s = {tally.answers / elapsed:.0f} bids/s")
        print(f"accepted: {len(tally.accepted)}, retries answered with the same bid: {tally.retries_ok}")
        print(f"refused with a reason: {refused} ({dict(tally.refused)})")
        print(f"other answers: {len(tally.errors)}; rounds closed during the run: {sum(closed)}")
        problems = check(event, tally)
        print("correctness: " + ("OK (none lost, none twice, every winner/leader the highest)" if not problems else ""))
        for problem in problems:
            print(f"  PROBLEM: {problem}")
        if problems:
            sys.exit(1)


if __name__ == "__main__":
    main()
