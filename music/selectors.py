"""Read queries on the library that other apps use (the guest request page searches it)."""

from django.db.models import QuerySet

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
