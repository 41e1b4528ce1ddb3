"""MusicBrainz's JSON web service (recordings: search and lookup) and the Cover Art Archive (a release's front
cover), with plain `requests`. MusicBrainz asks every client for a User-Agent naming the application and a contact,
and for at most one request a second from a client: the turn is taken through the cache, so every process of the
site shares it. The base URLs are settings (tests point them at fake servers).

MusicBrainz's core data (recordings, artists, releases, dates) is CC0. Genres come from its tags, which are
supplementary data under CC BY-NC-SA 3.0 (non-commercial): they are asked for only when MUSICBRAINZ_GENRES is on.
Cover images belong to their copyright holders."""

import math
import re
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.core.cache import cache

from music.covers import CoverError
from music.errors import EnrichmentError

USER_AGENT_APP = "djbiz/1.0"
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_TURN_KEY = "musicbrainz:turn"
_MAX_REDIRECTS = 3


@dataclass(frozen=True)
class Recording:
    mbid: str
    title: str
    artist: str
    length_ms: int | None = None
    score: int = 100  # a search's relevance, 0–100
    album: str = ""
    release_mbid: str = ""
    year: int | None = None
    genre: str = ""


def search_recordings(*, title: str, artist: str = "", limit: int = 5) -> list[Recording]:
    """Recordings whose title (and artist, when given) match, best first."""
    query = f'recording:"{_escape(title)}"'
    if artist:
        query += f' AND artist:"{_escape(artist)}"'
    answer = _get_json("recording", {"query": query, "limit": limit})
    return [
        Recording(
            mbid=found["id"],
            title=found.get("title", ""),
            artist=_credited(found),
            length_ms=found.get("length"),
            score=int(found.get("score", 0)),
        )
        for found in answer.get("recordings", [])
    ]


def recording(mbid: str) -> Recording | None:
    """A recording with its artist credit, the release it first came out on, its year and, with
    MUSICBRAINZ_GENRES, its top genre (None when MusicBrainz has no such recording)."""
    include = "artists+releases" + ("+genres" if settings.MUSICBRAINZ_GENRES else "")
    answer = _get_json(f"recording/{uuid.UUID(mbid)}", {"inc": include}, missing_ok=True)
    if answer is None:
        return None
    release = _first_release(answer.get("releases", []))
    genres = sorted(answer.get("genres", []), key=lambda genre: -genre.get("count", 0))
    date = answer.get("first-release-date") or (release or {}).get("date") or ""
    return Recording(
        mbid=answer["id"],
        title=answer.get("title", ""),
        artist=_credited(answer),
        length_ms=answer.get("length"),
        album=(release or {}).get("title", ""),
        release_mbid=(release or {}).get("id", ""),
        year=int(date[:4]) if date[:4].isdigit() else None,
        genre=_genre_name(genres[0]["name"]) if genres else "",
    )


def front_cover(release_mbid: str) -> bytes | None:
    """The release's front cover from the Cover Art Archive (its 1200 px rendition), or None when it has none.
    Raises EnrichmentError when the archive cannot answer, CoverError when the image is over the size limit (it is
    read only that far)."""
    url = urljoin(_base(settings.COVER_ART_ARCHIVE_URL), f"release/{uuid.UUID(release_mbid)}/front-1200")
    allowed_origin = _origin(url)
    try:
        for _ in range(_MAX_REDIRECTS + 1):
            timeout = settings.ENRICHMENT_TIMEOUT
            with requests.get(url, headers=_headers(), timeout=timeout, stream=True, allow_redirects=False) as answer:
                if answer.is_redirect:
                    url = urljoin(url, answer.headers["Location"])
                    # The archive redirects to its image host over https; nothing else is followed.
                    if urlsplit(url).scheme != "https" and _origin(url) != allowed_origin:
                        raise EnrichmentError("The Cover Art Archive redirected to an address that is not used.")
                    continue
                if answer.status_code == 404:
                    return None
                _raise_for(answer, "The Cover Art Archive")
                return _capped_body(answer)
    except requests.RequestException as error:
        raise EnrichmentError(f"The Cover Art Archive cannot be reached ({type(error).__name__}).") from error
    raise EnrichmentError("The Cover Art Archive redirected too many times.")


def _get_json(path: str, params: dict, *, missing_ok: bool = False) -> dict | None:
    _wait_for_turn()
    url = urljoin(_base(settings.MUSICBRAINZ_URL), path)
    try:
        answer = requests.get(
            url, params={**params, "fmt": "json"}, headers=_headers(), timeout=settings.ENRICHMENT_TIMEOUT
        )
    except requests.RequestException as error:
        raise EnrichmentError(f"MusicBrainz cannot be reached ({type(error).__name__}).") from error
    if missing_ok and answer.status_code == 404:
        return None
    _raise_for(answer, "MusicBrainz")
    try:
        return answer.json()
    except ValueError as error:
        raise EnrichmentError("MusicBrainz sent an answer that is not JSON.") from error


def _wait_for_turn() -> None:
    """At most one MusicBrainz request per MUSICBRAINZ_MIN_INTERVAL seconds from the whole site: a process takes
    the turn by adding a cache key that expires after the interval, and waits while another process holds it."""
    interval = settings.MUSICBRAINZ_MIN_INTERVAL
    if interval <= 0:
        return
    while not cache.add(_TURN_KEY, 1, timeout=math.ceil(interval)):
        time.sleep(min(interval, 0.25))


def _raise_for(answer: requests.Response, service: str) -> None:
    if answer.status_code in (429, 503):
        raise EnrichmentError(f"{service} asks us to slow down (HTTP {answer.status_code}); try again later.")
    if answer.status_code >= 400:
        raise EnrichmentError(f"{service} answered HTTP {answer.status_code}.")


def _capped_body(answer: requests.Response) -> bytes:
    limit = settings.MUSIC_COVER_MAX_BYTES
    body = bytearray()
    for chunk in answer.iter_content(64 * 1024):
        body += chunk
        if len(body) > limit:
            raise CoverError(f"The cover image is larger than {limit // (1024 * 1024)} MB.")
    return bytes(body)


def _headers() -> dict[str, str]:
    return {"User-Agent": f"{USER_AGENT_APP} ( {settings.MUSICBRAINZ_CONTACT} )", "Accept": "application/json"}


def _credited(found: dict) -> str:
    """The artist credit as MusicBrainz shows it ("Mark Ronson feat. Amy Winehouse")."""
    return "".join(credit.get("name", "") + credit.get("joinphrase", "") for credit in found.get("artist-credit", []))


def _first_release(releases: list[dict]) -> dict | None:
    """The release a DJ would name: an official one first, the earliest date first."""
    dated = sorted(releases, key=lambda release: (release.get("status") != "Official", release.get("date") or "9999"))
    return dated[0] if dated else None


def _genre_name(name: str) -> str:
    """MusicBrainz's genres are lower case ("hip hop", "drum and bass"): capitalised as a DJ writes them."""
    small = {"and", "n", "of", "the"}
    words = name.split()
    return " ".join(w if (w in small and i) else w[:1].upper() + w[1:] for i, w in enumerate(words))[:100]


def _escape(text: str) -> str:
    return _LUCENE_SPECIAL.sub(r"\\\1", text)


def _base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _origin(url: str) -> tuple[str, str]:
    split = urlsplit(url)
    return split.scheme, split.netloc
