"""Text folding shared by the apps that match songs by name: guest requests and the music plan (events) and the
DJ's library search (music)."""

import re
import unicodedata

_FEATURING_IN_BRACKETS = re.compile(r"[(\[]\s*(?:feat|ft|featuring)\b[^)\]]*[)\]]?")
_FEATURING_TO_END = re.compile(r"\b(?:feat|ft|featuring)\b.*$")
_APOSTROPHES = re.compile(r"['’‘`]")
_NOT_WORD = re.compile(r"[\W_]+")


def fold_song_text(text: str) -> str:
    """A title or artist folded for matching: case, accents, "feat. …", apostrophes, punctuation and a leading
    "the" do not count ("The Beatles" and "beatles" are one artist)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _FEATURING_IN_BRACKETS.sub(" ", text)
    text = _FEATURING_TO_END.sub(" ", text)
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    text = _NOT_WORD.sub(" ", text).strip()
    return text.removeprefix("the ")[:200]
