# ruff: noqa: E402  (Django is set up from the environment chosen below before the project is imported)
"""The staff library page (/library/) on a 20,000-track library: p50 and p95 of the whole request (query, page of
50 rows rendered) and of the database queries alone, for the default list, a search, filters, compatible keys
and sorted columns, and a late page.

Runs in-process (django.test.Client, logged in as a staff DJ) on a throwaway SQLite file; with DATABASE_URL set,
on a scratch test database on that server instead, dropped at the end.
"""

import random
import statistics
import time
from decimal import Decimal

import _scratch

_scratch.setup()

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from music import camelot
from music.models import Track

TRACKS = 20_000
REQUESTS = 40
RNG = random.Random(7)
WORDS = ["love", "night", "golden", "fire", "dance", "heart", "midnight", "summer", "higher", "electric", "dreams"]
ARTISTS = [f"{first} {last}" for first in ("DJ", "The", "Lil", "Big", "Miss") for last in ("Nova", "Echo", "Sol")]
GENRES = ["House", "Techno", "Pop", "Hip-hop", "Disco", "Funk", "Drum & bass", "Reggaeton", "Ballad", "Latin"]
PAGES = [
    ("default list (artist A-Z)", "/library/"),
    ("search 'love night'", "/library/?q=love+night"),
    ("BPM 120-128, energy 60-90", "/library/?bpm_min=120&bpm_max=128&energy_min=60&energy_max=90"),
    ("8A + compatible, sort BPM", "/library/?camelot=8A&compatible=on&sort=bpm"),
    ("genre House, sort -energy", "/library/?genre=House&sort=-energy"),
    ("sort by key, page 200", "/library/?sort=key&page=200"),
]


def create_library() -> None:
    tracks = []
    for n in range(TRACKS):
        code = RNG.choice(camelot.CODES)
        tracks.append(
            Track(
                title=f"{RNG.choice(WORDS).title()} {RNG.choice(WORDS)} {n}",
                artist=RNG.choice(ARTISTS),
                album=f"Album {n // 12}",
                genre=RNG.choice(GENRES),
                bpm=Decimal(RNG.randint(6400, 17600)) / 100,
                camelot=code,
                key=camelot.KEYS[code],
                energy=RNG.randint(0, 100),
                duration_ms=RNG.randint(120_000, 420_000),
                analysis_status="done",
                beats_ms=list(range(0, 200_000, 469)),  # a beat grid as analysis stores it (~430 beats)
                audio=f"tracks/2026/12/{n}.mp3",
                file_sha256=f"{n:064x}",
            )
        )
    for track in tracks:  # what Track.save() does, for bulk_create
        track.search_text = f"{track.title} {track.artist} {track.album}".casefold()
    Track.objects.bulk_create(tracks, batch_size=2000)


def measure(http: HttpClient, url: str) -> tuple[float, float, float, float, int]:
    totals, in_database = [], []
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = http.get(url)
            totals.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        in_database.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    return (
        statistics.median(totals),
        statistics.quantiles(totals, n=20)[18],
        statistics.median(in_database),
        statistics.quantiles(in_database, n=20)[18],
        len(queries.captured_queries),
    )


def main() -> None:
    with _scratch.scratch_database() as database:
        started = time.perf_counter()
        create_library()
        print(f"{database}: {TRACKS:,} tracks created in {time.perf_counter() - started:.1f} s")
        staff = User.objects.create_user(email="dj@example.com", password="x" * 12, role=Role.STAFF)
        http = HttpClient()
        http.force_login(staff)
        print(f"{'page':<30} {'p50 ms':>7} {'p95 ms':>7} {'SQL p50':>8} {'SQL p95':>8} {'queries':>8}")
        for label, url in PAGES:
            http.get(url)  # warm up
            p50, p95, sql50, sql95, count = measure(http, url)
            print(f"{label:<30} {p50:7.1f} {p95:7.1f} {sql50:8.1f} {sql95:8.1f} {count:8d}")


if __name__ == "__main__":
    main()
