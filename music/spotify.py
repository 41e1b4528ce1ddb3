"""Spotify's Web API, read only: a playlist's name and tracks (title, artists, album, duration). Spotify's audio
is never downloaded (it cannot be, and its terms forbid it): the DJ gets the list to find each track elsewhere.

An app's client credentials (settings.SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET) get a token from the accounts
service (cached until shortly before it expires); SPOTIFY_API_BASE and SPOTIFY_ACCOUNTS_BASE point at another
server in the tests. Long playlists come in pages: each answer's `next` is followed (only on the API's own base).

The items endpoint is GET /playlists/{id}/items (Spotify's February 2026 Web API changes retired
/playlists/{id}/tracks for apps in Development Mode, and renamed each entry's `track` to `item`); both entry shapes
are read. An app in Development Mode may be refused playlists its users do not own (403).
"""

import re
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache

from music.errors import MusicError

TIMEOUT = 10
PAGE_SIZE = 50  # the items endpoint's maximum
TOKEN_CACHE_KEY = "music:spotify-token"
PLAYLIST_URL = re.compile(
    r"^(?:https?://open\.spotify\.com/(?:intl-[a-z]{2}(?:-[a-z]{2})?/)?playlist/|spotify:playlist:)([A-Za-z0-9]{8,64})"
)


class SpotifyError(MusicError):
    code = "spotify"


@dataclass(frozen=True)
class SpotifyTrack:
    spotify_id: str
    title: str
    artists: list[str]
    album: str
    duration_ms: int | None


@dataclass(frozen=True)
class Playlist:
    spotify_id: str
    name: str
    tracks: list[SpotifyTrack]


def playlist_id(url: str) -> str | None:
    """The playlist id in an open.spotify.com/playlist/<id> link (or a spotify:playlist:<id> URI), else None."""
    match = PLAYLIST_URL.match(url.strip())
    return match.group(1) if match else None


def playlist_read(spotify_id: str) -> Playlist:
    """A playlist's name and every track on it (episodes and local files are left out)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {_token()}"
    base = settings.SPOTIFY_API_BASE
    about = _get(session, f"{base}/playlists/{spotify_id}", {"fields": "name"})
    tracks: list[SpotifyTrack] = []
    url, params = f"{base}/playlists/{spotify_id}/items", {"limit": PAGE_SIZE, "additional_types": "track"}
    while url:
        page = _get(session, url, params)
        entries = [entry.get("item") or entry.get("track") for entry in page.get("items") or []]
        tracks += [_track(entry) for entry in entries if _is_track(entry)]
        url, params = page.get("next"), None
        if url and not url.startswith(f"{base}/"):
            raise SpotifyError("Spotify answered with a next page somewhere else.")
    return Playlist(spotify_id=spotify_id, name=str(about.get("name") or "")[:200], tracks=tracks)


def _token() -> str:
    token = cache.get(TOKEN_CACHE_KEY)
    if token:
        return token
    if not (settings.SPOTIFY_CLIENT_ID and settings.SPOTIFY_CLIENT_SECRET):
        raise SpotifyError("Spotify is not set up: SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET are empty.")
    try:
        answer = requests.post(
            f"{settings.SPOTIFY_ACCOUNTS_BASE}/api/token",
            data={"grant_type": "client_credentials"},
            auth=(settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET),
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        raise SpotifyError("Spotify could not be reached.") from error
    if answer.status_code in (400, 401, 403):
        raise SpotifyError("Spotify refused the app's credentials (SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET).")
    if not answer.ok:
        raise SpotifyError(f"Spotify's accounts service answered {answer.status_code}.")
    body = answer.json()
    cache.set(TOKEN_CACHE_KEY, body["access_token"], max(int(body.get("expires_in", 3600)) - 60, 1))
    return body["access_token"]


def _get(session: requests.Session, url: str, params: dict | None) -> dict:
    try:
        answer = session.get(url, params=params, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise SpotifyError("Spotify could not be reached.") from error
    if answer.status_code == 401:
        cache.delete(TOKEN_CACHE_KEY)
        raise SpotifyError("Spotify's token was refused; try again.")
    if answer.status_code == 404:
        raise SpotifyError("Spotify has no such public playlist (private ones cannot be read).", code="unavailable")
    if answer.status_code == 403:
        raise SpotifyError(
            "Spotify would not let the app read this playlist (an app in Development Mode may only read its own "
            "users' playlists).",
            code="unavailable",
        )
    if not answer.ok:
        raise SpotifyError(f"Spotify answered {answer.status_code}.")
    return answer.json()


def _is_track(track: dict | None) -> bool:
    return bool(track) and track.get("type", "track") == "track" and bool(track.get("name"))


def _track(track: dict) -> SpotifyTrack:
    return SpotifyTrack(
        spotify_id=track.get("id") or "",
        title=track["name"][:200],
        artists=[artist["name"] for artist in track.get("artists") or [] if artist.get("name")],
        album=((track.get("album") or {}).get("name") or "")[:200],
        duration_ms=track.get("duration_ms"),
    )
