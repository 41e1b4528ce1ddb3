"""Read queries on the library that other apps use (the guest request page searches it)."""

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Case, F, QuerySet, When
from django.db.models.functions import Length, Lower

from djbiz.text import fold_song_text
from music.models import Track

SEARCH_RESULTS = 10


def track_search(query: str, *, limit: int = SEARCH_RESULTS) -> list[Track]:
    """Tracks whose title, artist or album hold every word of the query, folded as song matching folds text
    ("beyonce halo" finds "Halo" by Beyoncé); titles that start with the query first. Empty for a query with no
    letters or numbers."""
    words = fold_song_text(query).split()
    if not words:
        return []
    tracks = tracks_matching(Track.objects.all(), query)
    return sorted(tracks[: limit * 5], key=lambda track: _rank(track, words))[:limit]


def tracks_matching(tracks: QuerySet[Track], query: str) -> QuerySet[Track]:
    """The tracks whose title, artist or album hold every word of the query (folded as song matching folds)."""
    for word in fold_song_text(query).split():
        tracks = tracks.filter(search_text__contains=word)
    return tracks


def _rank(track: Track, words: list[str]) -> tuple:
    title = fold_song_text(track.title)
    return (not title.startswith(" ".join(words)), not title.startswith(words[0]), track.title.casefold())


def library_has_tracks() -> bool:
    return Track.objects.exists()


# The library page's sort orders: column -> what it sorts by (then by title). Camelot codes sort round the wheel
# (1A, 1B, 2A, ..., 12B) by length then text. Empty values go last either way.
LIBRARY_SORTS: dict[str, list] = {
    "title": [Lower("title")],
    "artist": [Lower("artist")],
    "bpm": [F("bpm")],
    "key": [Length("camelot"), F("camelot")],
    "energy": [F("energy")],
    "genre": [Lower("genre")],
    "duration": [F("duration_ms")],
    "added": [F("created_at")],
}


def library_tracks(
    *,
    query: str = "",
    bpm_min: Decimal | None = None,
    bpm_max: Decimal | None = None,
    camelot_codes: Sequence[str] = (),
    energy_min: int | None = None,
    energy_max: int | None = None,
    genre: str = "",
    sort: str = "artist",
    descending: bool = False,
) -> QuerySet[Track]:
    """The library page's tracks: searched (every word, as guests search), filtered and sorted. The beat grid and
    fingerprint, large and not shown, are left in the database."""
    tracks = tracks_matching(Track.objects.defer("beats_ms", "fingerprint"), query)
    filters = {
        "bpm__gte": bpm_min,
        "bpm__lte": bpm_max,
        "energy__gte": energy_min,
        "energy__lte": energy_max,
        "camelot__in": list(camelot_codes) or None,
        "genre__iexact": genre or None,
    }
    tracks = tracks.filter(**{lookup: value for lookup, value in filters.items() if value is not None})
    ordering = [
        term.desc(nulls_last=True) if descending else term.asc(nulls_last=True)
        for term in LIBRARY_SORTS.get(sort, LIBRARY_SORTS["artist"])
    ]
    if sort in {"key", "genre"}:  # no key, no genre: last, whichever way
        ordering.insert(0, Case(When(**{"camelot" if sort == "key" else "genre": ""}, then=1), default=0))
    return tracks.order_by(*ordering, Lower("title"), "pk")


def library_genres() -> list[str]:
    """The genres in the library, once each (for the page's filter)."""
    return list(Track.objects.exclude(genre="").order_by("genre").values_list("genre", flat=True).distinct())
