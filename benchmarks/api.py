# ruff: noqa: E402  (Django is set up from the environment chosen below before the project is imported)
"""Event list API under load: requests/s, p50 and p95 latency of GET /api/v1/events/ with 100 and then 10,000
events, and how much p95 grows between the two.

Runs in-process (django.test.Client, token auth as a staff DJ, throttling off) on a throwaway SQLite file.
With DATABASE_URL set it uses a scratch test database on that server instead, dropped at the end.
"""

import random
import statistics
import time
from datetime import date, timedelta
from datetime import time as clock

import _scratch

_scratch.setup(API_THROTTLE_USER="1000000/min")

from django.db import connection
from django.test import Client as HttpClient
from django.utils.text import slugify

from accounts.models import Role, User
from accounts.services import api_token_for
from events.models import Client, Event, EventType, Package, Venue, local_span
from events.status import EventStatus

WARM_UP = 20
REQUESTS = 300
RNG = random.Random(42)
TODAY = date.today()
FIRST_NAMES = ["Alex", "Sam", "Priya", "Jordan", "Maya", "Leo", "Ana", "Chris", "Noor", "Kai", "Eli", "Rosa"]
LAST_NAMES = ["Rivera", "Shah", "Chen", "Martinez", "Okafor", "Novak", "Kim", "Moreau", "Silva", "Berg"]
CITIES = [
    ("Brooklyn", "America/New_York"),
    ("Boston", "America/New_York"),
    ("Chicago", "America/Chicago"),
    ("Austin", "America/Chicago"),
    ("Denver", "America/Denver"),
    ("Los Angeles", "America/Los_Angeles"),
    ("London", "Europe/London"),
]
EVENT_TYPES = [EventType.WEDDING] * 6 + [EventType.CORPORATE] * 2 + [EventType.BIRTHDAY, EventType.PRIVATE_PARTY]
QUERIES = [
    ("default list", "/api/v1/events/"),
    ("?ordering=-starts_at", "/api/v1/events/?ordering=-starts_at"),
    # A page of 20, which the 100-event baseline fills too, so both sizes serialise as many rows.
    ("filtered", f"/api/v1/events/?status=booked&date_after={TODAY.isoformat()}&ordering=date&page_size=20"),
]


def create_catalogue() -> tuple[list[Client], list[Venue], list[Package]]:
    clients = Client.objects.bulk_create(
        Client(
            name=f"{RNG.choice(FIRST_NAMES)} & {RNG.choice(FIRST_NAMES)} {RNG.choice(LAST_NAMES)}",
            email=f"client{n}@example.com",
            source=RNG.choice(["referral", "website", "venue", "planner", "social"]),
        )
        for n in range(3_000)
    )
    venues = Venue.objects.bulk_create(
        Venue(name=f"Venue {n}", city=city, time_zone=zone, setting=RNG.choice(["indoor", "outdoor", "both"]))
        for n, (city, zone) in enumerate(RNG.choice(CITIES) for _ in range(150))
    )
    packages = [
        Package.objects.create(name=name, price_cents=cents)
        for name, cents in [("Silver", 150_000), ("Gold", 250_000), ("Platinum", 400_000)]
    ]
    return clients, venues, packages


def status_for(day: date) -> str:
    if day < TODAY:
        return RNG.choices([EventStatus.COMPLETED, EventStatus.CANCELLED], weights=[9, 1])[0]
    return RNG.choices([EventStatus.INQUIRY, EventStatus.QUOTED, EventStatus.BOOKED], weights=[2, 2, 6])[0]


def create_events(count: int, start: int, clients, venues, packages) -> None:
    """`count` events spread from three years ago to two years ahead, as event_save would store them."""
    events = []
    for n in range(start, start + count):
        client, venue, package = RNG.choice(clients), RNG.choice(venues), RNG.choice([*packages, None])
        day = TODAY + timedelta(days=RNG.randint(-3 * 365, 2 * 365))
        begin = clock(RNG.choice([12, 16, 17, 18, 19, 20]))
        end = clock((begin.hour + RNG.choice([4, 5, 6])) % 24)
        starts_at, ends_at = local_span(day, begin, end, venue.time_zone)
        event_type = RNG.choice(EVENT_TYPES)
        title = f"{client.name} {event_type.label.lower()}"
        events.append(
            Event(
                title=title,
                event_type=event_type,
                status=status_for(day),
                client=client,
                venue=venue,
                date=day,
                start_time=begin,
                end_time=end,
                time_zone=venue.time_zone,
                starts_at=starts_at,
                ends_at=ends_at,
                package=package,
                price_cents=package.price_cents if package else RNG.randrange(80_000, 600_000, 5_000),
                currency="USD",
                guest_count=RNG.choice([None, RNG.randint(40, 300)]),
                slug=f"{slugify(title)[:60]}-{n}",
            )
        )
    Event.objects.bulk_create(events, batch_size=1_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as the database's own maintenance would gather


def measure(http: HttpClient, url: str) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p95 ms) over REQUESTS sequential GETs after a warm-up."""
    for _ in range(WARM_UP):
        response = http.get(url)
        assert response.status_code == 200, response.content
    assert response.json()["results"], url
    latencies = []
    started = time.perf_counter()
    for _ in range(REQUESTS):
        before = time.perf_counter()
        response = http.get(url)
        latencies.append((time.perf_counter() - before) * 1000)
        assert response.status_code == 200
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return REQUESTS / elapsed, cuts[49], cuts[94]


def run_size(http: HttpClient, events: int) -> dict[str, float]:
    assert http.get("/api/v1/events/").json()["count"] == events
    p95s = {}
    for name, url in QUERIES:
        rate, p50, p95 = measure(http, url)
        label = f"[{events:>6,} events] GET {name:<22}"
        print(f"{label} requests/s: {rate:8.1f}")
        print(f"{label} p50 latency: {p50:8.2f} ms")
        print(f"{label} p95 latency: {p95:8.2f} ms")
        p95s[name] = p95
    return p95s


def main() -> None:
    with _scratch.scratch_database() as database:
        print(f"database: {database}")
        staff = User.objects.create_user("bench@example.com", "bench-password", role=Role.STAFF)
        http = HttpClient(headers={"Authorization": f"Token {api_token_for(staff)}"})
        clients, venues, packages = create_catalogue()

        create_events(100, 0, clients, venues, packages)
        baseline = run_size(http, 100)
        create_events(9_900, 100, clients, venues, packages)
        full = run_size(http, 10_000)
        for name, _ in QUERIES:
            print(f"p95 ratio 10,000 / 100 events, GET {name}: {full[name] / baseline[name]:.2f}")


if __name__ == "__main__":
    main()
