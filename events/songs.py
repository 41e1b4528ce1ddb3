"""A song's identity across requests and the music plan: requests for one song share a normalised key (so a
second request becomes a vote), and a request matches a planned song (must play, do not play, special moment)
by the same key."""

from djbiz.text import fold_song_text


def normalize_song(title: str, artist: str) -> str:
    """The key two requests for one song share: "Uptown Funk (feat. Bruno Mars)" by "Mark Ronson ft. Bruno
    Mars" and "uptown funk" by "MARK RONSON" both give "uptown funk|mark ronson"."""
    return f"{fold_song_text(title)}|{fold_song_text(artist)}"


def same_song(normalized: str, other: str) -> bool:
    """Same title, and the same artist unless one side names none (a guest often knows only the title)."""
    title, artist = normalized.split("|", 1)
    other_title, other_artist = other.split("|", 1)
    return title == other_title and (not artist or not other_artist or artist == other_artist)
