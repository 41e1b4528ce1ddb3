"""A song's identity across requests and the music plan: requests for one song share a normalised key (so a
second request becomes a vote), and a request matches a planned song (must play, do not play, special moment)
by the same key."""

import re
import unicodedata

_FEATURING_IN_BRACKETS = re.compile(r"[(\[]\s*(?:feat|ft|featuring)\b[^)\]]*[)\]]?")
_FEATURING_TO_END = re.compile(r"\b(?:feat|ft|featuring)\b.*$")
_APOSTROPHES = re.compile(r"['’‘`]")
_NOT_WORD = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _FEATURING_IN_BRACKETS.sub(" ", text)
    text = _FEATURING_TO_END.sub(" ", text)
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    text = _NOT_WORD.sub(" ", text).strip()
    return text.removeprefix("the ")[:200]


def normalize_song(title: str, artist: str) -> str:
    """The key two requests for one song share: "Uptown Funk (feat. Bruno Mars)" by "Mark Ronson ft. Bruno
    Mars" and "uptown funk" by "MARK RONSON" both give "uptown funk|mark ronson"."""
    return f"{_fold(title)}|{_fold(artist)}"


def same_song(normalized: str, other: str) -> bool:
    """Same title, and the same artist unless one side names none (a guest often knows only the title)."""
    title, artist = normalized.split("|", 1)
    other_title, other_artist = other.split("|", 1)
    return title == other_title and (not artist or not other_artist or artist == other_artist)
