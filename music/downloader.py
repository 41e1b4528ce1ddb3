"""yt-dlp, used as a library: what a link holds (one track, or a playlist's items) and one item's audio, extracted
by ffmpeg to settings.MUSIC_DOWNLOAD_FORMAT. The only module that imports yt_dlp.

Every limit is ours, not yt-dlp's defaults:
- network: yt-dlp's own request handlers are replaced by one (`GuardedRH`) that checks each URL with
  music.url_policy before it is sent, checks each redirect's target before following it, and opens every socket
  through url_policy.connect (so the address connected to is the address checked); proxies from the environment
  are ignored (a proxy would make the checked address the proxy's), and only yt-dlp's native downloaders run
  (ffmpeg or rtmpdump as downloaders would fetch URLs themselves, past the check);
- extractors: settings.MUSIC_DOWNLOAD_EXTRACTORS (yt-dlp's generic extractor, which fetches any page, only if
  listed);
- length: no live streams, nothing longer than settings.MUSIC_DOWNLOAD_MAX_MINUTES when the site says how long;
- size: yt-dlp's max_filesize trusts Content-Length, so a progress hook also counts the bytes as they arrive and
  stops past settings.MUSIC_DOWNLOAD_MAX_BYTES;
- time: settings.MUSIC_DOWNLOAD_SOCKET_TIMEOUT per socket operation, MUSIC_DOWNLOAD_TIME_LIMIT for a whole item;
- files: a fixed output name in the directory the caller gives, restricted file names.
Failures are DownloadFailed with a code the DJ sees per item: refused, unavailable, private, too_long, too_large,
live, not_audio, timeout, failed.
"""

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urljoin

import yt_dlp
from django.conf import settings
from yt_dlp.networking._requests import RequestsRH
from yt_dlp.networking.exceptions import HTTPError, RequestError, TransportError
from yt_dlp.utils import DownloadCancelled, DownloadError, UnsupportedError, unsmuggle_url

from music import url_policy
from music.errors import MusicError

logger = logging.getLogger(__name__)

OUTPUT_NAME = "download"
MAX_URL_LENGTH = 2000  # DownloadItem.url
# Formats fetched over plain HTTP(S) or native HLS/DASH, which go through GuardedRH.
NATIVE_PROTOCOLS = r"^(https?|m3u8_native|http_dash_segments)$"


class DownloadFailed(MusicError):
    code = "failed"


@dataclass(frozen=True)
class Entry:
    url: str
    title: str


@dataclass(frozen=True)
class Listing:
    """What a link holds: one entry for a track, each item's for a playlist."""

    title: str
    entries: list[Entry]
    is_playlist: bool


@dataclass(frozen=True)
class Downloaded:
    path: Path
    title: str
    duration_s: float | None


def list_entries(url: str) -> Listing:
    """The items behind a link, without downloading them (a playlist is read flat, up to MUSIC_DOWNLOAD_MAX_ITEMS)."""
    url_policy.check_url(url)
    options = {"extract_flat": "in_playlist", "playlistend": settings.MUSIC_DOWNLOAD_MAX_ITEMS}
    with _failures(), _session(options) as ydl:
        info = ydl.extract_info(url, download=False)
    if info.get("_type") != "playlist":
        return Listing(title=_title(info, url), entries=[Entry(url=url, title=_title(info, url))], is_playlist=False)
    entries = []
    for entry in info.get("entries") or []:
        # Feed items come with yt-dlp's own data "smuggled" into the URL's fragment: the item is its plain URL.
        link = unsmuggle_url(entry["url"])[0] if entry and entry.get("url") else ""
        if link and len(link) <= MAX_URL_LENGTH:
            entries.append(Entry(url=link, title=_title(entry, link)))
    return Listing(title=_title(info, url), entries=entries, is_playlist=True)


def download_audio(url: str, *, into: Path, on_progress: Callable[[int], None] = lambda percent: None) -> Downloaded:
    """Download one item's audio into the folder `into` (empty, the caller's) as settings.MUSIC_DOWNLOAD_FORMAT.
    on_progress(percent) is called as bytes arrive (0–99; the caller says when it is done)."""
    url_policy.check_url(url)
    watch = _Watch(on_progress)
    options = {
        "noplaylist": True,
        "format": f"bestaudio[protocol~='{NATIVE_PROTOCOLS}']/best[protocol~='{NATIVE_PROTOCOLS}']",
        "paths": {"home": str(into), "temp": str(into)},
        "outtmpl": {"default": f"{OUTPUT_NAME}.%(ext)s"},
        "restrictfilenames": True,
        "match_filter": watch.refusal,
        "progress_hooks": [watch.progress],
        # Fixed 64 KiB reads: the byte cap is checked after each, so a download stops at most 64 KiB past it (yt-dlp
        # would otherwise grow its reads up to megabytes).
        "buffersize": 64 * 1024,
        "noresizebuffer": True,
        "postprocessors": [{"key": "FFmpegExtractAudio", "preferredcodec": settings.MUSIC_DOWNLOAD_FORMAT}],
    }
    with _failures(), _session(options, deadline=watch.deadline) as ydl:
        info = ydl.extract_info(url, download=True)
    if watch.refused is not None:
        raise watch.refused
    files = [path for path in into.iterdir() if path.is_file() and path.stem == OUTPUT_NAME]
    if info is None or len(files) != 1:
        raise DownloadFailed(f"No audio came from {url}.", code="not_audio")
    return Downloaded(path=files[0], title=_title(info, url), duration_s=info.get("duration"))


class GuardedRH(RequestsRH):
    """yt-dlp's requests-based handler with url_policy on every request, redirect and socket, and a deadline."""

    deadline: float | None = None

    def _create_instance(self, cookiejar, legacy_ssl_support=None):
        session = super()._create_instance(cookiejar, legacy_ssl_support)
        for adapter in session.adapters.values():
            adapter.poolmanager.pool_classes_by_scheme = url_policy.GUARDED_POOLS
        session.hooks["response"].append(_check_redirect)
        return session

    def _send(self, request):
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise _Refused(_timeout())
        try:
            url_policy.check_url(request.url)
            return super()._send(request)
        except MusicError as refusal:
            raise _Refused(refusal) from refusal


class _Refused(RequestError):
    """A request GuardedRH would not send: yt-dlp reports it as a network error, the refusal rides along."""

    def __init__(self, refusal: MusicError):
        super().__init__(refusal.message)
        self.refusal = refusal


def _check_redirect(response, **kwargs):
    if response.is_redirect:
        url_policy.check_url(urljoin(response.url, response.headers["location"]))
    return response


class _YoutubeDL(yt_dlp.YoutubeDL):
    """A YoutubeDL whose every request goes through GuardedRH alone."""

    deadline: float | None = None

    @cached_property
    def _request_director(self):
        director = self.build_request_director([GuardedRH])
        for handler in director.handlers.values():
            handler.deadline = self.deadline
        return director


class _Log:
    """yt-dlp's messages go to the log at debug level (what the DJ sees is DownloadFailed's message)."""

    def debug(self, message):
        logger.debug("yt-dlp: %s", message)

    warning = error = debug


def _session(options: dict, deadline: float | None = None) -> _YoutubeDL:
    ydl = _YoutubeDL(
        {
            "logger": _Log(),
            "quiet": True,
            "no_warnings": True,
            "noprogress": True,
            "proxy": "",  # no proxy from the environment: the address url_policy checks is the one connected to
            "socket_timeout": settings.MUSIC_DOWNLOAD_SOCKET_TIMEOUT,
            "allowed_extractors": settings.MUSIC_DOWNLOAD_EXTRACTORS,
            "external_downloader": {"default": "native"},
            "hls_prefer_native": True,
            "retries": 1,
            "fragment_retries": 1,
            "extractor_retries": 0,
            "cachedir": False,
            "color": {"stdout": "never", "stderr": "never"},
            **options,
        }
    )
    ydl.deadline = deadline
    return ydl


class _Watch:
    """The per-item limits yt-dlp does not keep: bytes as they arrive, wall-clock time, length and live streams."""

    def __init__(self, on_progress: Callable[[int], None]):
        self.on_progress = on_progress
        self.deadline = time.monotonic() + settings.MUSIC_DOWNLOAD_TIME_LIMIT
        self.refused: DownloadFailed | None = None

    def progress(self, status: dict) -> None:
        done = status.get("downloaded_bytes") or 0
        total = status.get("total_bytes") or status.get("total_bytes_estimate")
        if max(done, total or 0) > settings.MUSIC_DOWNLOAD_MAX_BYTES:  # counted, or announced by Content-Length
            raise _Abort(_too_large())
        if time.monotonic() > self.deadline:
            raise _Abort(_timeout())
        if status.get("status") == "downloading" and total:
            self.on_progress(min(99, int(done * 100 / total)))

    def refusal(self, info: dict, *, incomplete: bool = False) -> str | None:
        """yt-dlp's match_filter: a reason to skip the item, or None. The reason is kept to be raised."""
        self.refused = refusal_for(info)
        return None if self.refused is None else self.refused.message


def refusal_for(info: dict) -> DownloadFailed | None:
    """Why an item's description rules it out: a live stream (now or upcoming), or longer than allowed."""
    title = _title(info, "This item")
    if info.get("is_live") or info.get("live_status") in {"is_live", "is_upcoming", "post_live"}:
        return DownloadFailed(f"“{title}” is a live stream: only recordings can be downloaded.", code="live")
    duration = info.get("duration")
    if duration and duration > settings.MUSIC_DOWNLOAD_MAX_MINUTES * 60:
        return too_long(title, duration)
    size = info.get("filesize") or info.get("filesize_approx")
    if size and size > settings.MUSIC_DOWNLOAD_MAX_BYTES:
        return _too_large()
    return None


def too_long(title: str, seconds: float) -> DownloadFailed:
    limit = settings.MUSIC_DOWNLOAD_MAX_MINUTES
    return DownloadFailed(
        f"“{title}” is {seconds / 60:.1f} minutes long; the limit is {limit:g} minutes.", code="too_long"
    )


class _Abort(DownloadCancelled):
    def __init__(self, failure: DownloadFailed):
        super().__init__(failure.message)
        self.failure = failure


def _too_large() -> DownloadFailed:
    limit = settings.MUSIC_DOWNLOAD_MAX_BYTES / (1024 * 1024)
    return DownloadFailed(f"The file is larger than {limit:.3g} MB: stopped.", code="too_large")


def _timeout() -> DownloadFailed:
    return DownloadFailed(
        f"The download took longer than {settings.MUSIC_DOWNLOAD_TIME_LIMIT} seconds: stopped.", code="timeout"
    )


@contextlib.contextmanager
def _failures() -> Iterator[None]:
    """Turns what yt-dlp raises into DownloadFailed (or url_policy's RefusedURL) with a readable message."""
    try:
        yield
    except MusicError:
        raise
    except (DownloadError, DownloadCancelled, RequestError) as error:
        raise _classify(error) from error


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        exc_info = getattr(error, "exc_info", None)
        error = (exc_info[1] if exc_info else None) or getattr(error, "cause", None) or error.__cause__


def _classify(error: BaseException) -> MusicError:
    text = str(error)
    for cause in _causes(error):
        if isinstance(cause, _Abort):
            return cause.failure
        if isinstance(cause, _Refused):
            return cause.refusal
        if isinstance(cause, MusicError):
            return cause
        if isinstance(cause, HTTPError):
            if cause.status in {401, 403}:
                return DownloadFailed(f"Access refused (HTTP {cause.status}): private or restricted.", code="private")
            return DownloadFailed(f"Unavailable (HTTP {cause.status}).", code="unavailable")
        if isinstance(cause, UnsupportedError):
            return DownloadFailed("No audio there: the link is a web page, not a media file.", code="not_audio")
        if isinstance(cause, TransportError):
            return DownloadFailed("The site could not be reached.", code="unavailable")
    lowered = text.lower()
    if "timed out" in lowered:
        seconds = settings.MUSIC_DOWNLOAD_SOCKET_TIMEOUT
        return DownloadFailed(f"The site stopped sending (nothing for {seconds} seconds).", code="timeout")
    if "private" in lowered or "sign in" in lowered or "members-only" in lowered:
        return DownloadFailed("This item is private.", code="private")
    if "postprocessing" in lowered or "ffmpeg" in lowered or "ffprobe" in lowered:
        return DownloadFailed("What came back is not audio that ffmpeg can read.", code="not_audio")
    if "no suitable extractor" in lowered or "unsupported url" in lowered:
        return DownloadFailed("Downloads from this site are not allowed.", code="refused")
    if "requested format is not available" in lowered:
        return DownloadFailed("No downloadable audio format there.", code="not_audio")
    if "unavailable" in lowered or "not available" in lowered or "removed" in lowered:
        return DownloadFailed("This item is unavailable.", code="unavailable")
    return DownloadFailed(text.removeprefix("ERROR: ")[:300] or "The download failed.")


def _title(info: dict, fallback: str) -> str:
    return str(info.get("title") or info.get("id") or fallback)[:200]
