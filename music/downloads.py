"""Use cases of downloads: a DJ's links become jobs, a job's link is read into items, each item is downloaded,
imported into the library (music.services.track_import_file) and linked to the track. Every step is a q2 task that
can run twice: it claims its row with a conditional update, and an item whose link the library already has is
linked to that track instead of being fetched again."""

import logging
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from accounts.models import User
from music import downloader, url_policy
from music.errors import MusicError
from music.models import DownloadItem, DownloadJob, DownloadStatus, Track, TrackSource, WantedTrack
from music.services import track_import_file
from music.tags import read_tags

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between two progress writes of one item
IN_PROGRESS = (DownloadStatus.DOWNLOADING, DownloadStatus.PROCESSING)
SPOTIFY_HOSTS = frozenset({"open.spotify.com", "play.spotify.com", "spotify.link"})


def download_jobs_submit(*, urls: list[str], user: User | None, queue: bool = True) -> list[DownloadJob]:
    """One job per link (checked by the URL policy first: a refused link raises RefusedURL and nothing is made),
    read in the background (queue=False: the caller runs the steps itself, as `manage.py download --wait`)."""
    urls = [url.strip() for url in urls if url.strip()]
    if not urls:
        raise MusicError("Paste at least one link.", code="empty")
    for url in urls:
        if urlsplit(url).hostname in SPOTIFY_HOSTS:
            raise MusicError(
                "Spotify's audio cannot be downloaded. Paste a Spotify playlist on the Downloads page to get a wanted "
                "list of its tracks.",
                code="spotify",
            )
        url_policy.check_url(url)
    with transaction.atomic():
        jobs = [DownloadJob.objects.create(url=url, requested_by=user) for url in urls]
    for job in jobs if queue else []:
        transaction.on_commit(lambda job_id=str(job.pk): async_task("music.tasks.read_download_job", job_id))
    return jobs


def download_job_read(job_id: uuid.UUID, *, queue: bool = True) -> DownloadJob | None:
    """Read a job's link into items (one per playlist item) and queue them (unless queue=False). A job read already
    is left alone."""
    if not _claim(DownloadJob.objects.filter(pk=job_id)):
        return DownloadJob.objects.filter(pk=job_id).first()
    job = DownloadJob.objects.get(pk=job_id)
    try:
        listing = downloader.list_entries(job.url)
    except MusicError as error:
        _fail(DownloadJob.objects.filter(pk=job.pk), error)
        return DownloadJob.objects.get(pk=job.pk)
    except Exception as error:  # a bug or an outage: the DJ sees the job failed; the log has the traceback
        logger.exception("Reading %s failed", job.url)
        _fail(
            DownloadJob.objects.filter(pk=job.pk), MusicError(f"The link could not be read ({type(error).__name__}).")
        )
        return DownloadJob.objects.get(pk=job.pk)
    if not listing.entries:
        _fail(DownloadJob.objects.filter(pk=job.pk), MusicError("The playlist is empty.", code="unavailable"))
        return DownloadJob.objects.get(pk=job.pk)
    with transaction.atomic():
        for position, entry in enumerate(listing.entries):
            DownloadItem.objects.get_or_create(
                job=job, position=position, defaults={"url": entry.url, "title": entry.title}
            )
        DownloadJob.objects.filter(pk=job.pk).update(
            title=listing.title, is_playlist=listing.is_playlist, status=DownloadStatus.DONE, updated_at=timezone.now()
        )
        for item in job.items.filter(status=DownloadStatus.QUEUED) if queue else []:
            _queue(item)
    return DownloadJob.objects.get(pk=job.pk)


def download_item_run(item_id: uuid.UUID) -> DownloadItem | None:
    """Download one item into the library. Done already: left alone. Its link already in the library (a track's
    source_url): linked to that track, nothing fetched. Otherwise claimed, downloaded, imported, linked."""
    item = DownloadItem.objects.filter(pk=item_id).select_related("wanted").first()
    if item is None or item.status in (DownloadStatus.DONE, DownloadStatus.FAILED):
        return item
    known = Track.objects.filter(source_url=item.url).first()
    if known is not None:
        _finish(item, known)
        return DownloadItem.objects.get(pk=item.pk)
    if not _claim(DownloadItem.objects.filter(pk=item.pk), started_at=timezone.now(), progress=0):
        return DownloadItem.objects.get(pk=item.pk)
    rows = DownloadItem.objects.filter(pk=item.pk)
    try:
        track = _download_and_import(item)
    except MusicError as error:
        _fail(rows, error)
    except Exception as error:  # a bug or an outage: the DJ sees the item failed; the log has the traceback
        logger.exception("Download of %s failed", item.url)
        _fail(rows, MusicError(f"The download failed ({type(error).__name__}).", code="failed"))
    else:
        _finish(item, track)
    return DownloadItem.objects.get(pk=item.pk)


def download_item_retry(item: DownloadItem) -> bool:
    """Queue a failed item again; False if it had not failed."""
    retried = DownloadItem.objects.filter(pk=item.pk, status=DownloadStatus.FAILED).update(
        status=DownloadStatus.QUEUED, progress=0, error_code="", error_message="", updated_at=timezone.now()
    )
    if retried:
        _queue(item)
    return bool(retried)


def wanted_track_source(*, wanted: WantedTrack, url: str, user: User | None) -> DownloadItem:
    """The DJ picked a link to download a wanted track from: a one-item job whose item is linked to the wanted row
    (when it is done, the wanted track is the downloaded one)."""
    url = url.strip()
    url_policy.check_url(url)
    with transaction.atomic():
        job = DownloadJob.objects.create(
            url=url, title=str(wanted)[:200], status=DownloadStatus.DONE, requested_by=user
        )
        item = DownloadItem.objects.create(job=job, url=url, title=str(wanted)[:200], wanted=wanted)
        _queue(item)
    return item


def _download_and_import(item: DownloadItem) -> Track:
    rows = DownloadItem.objects.filter(pk=item.pk)
    with tempfile.TemporaryDirectory(prefix="djbiz-download-") as folder:
        downloaded = downloader.download_audio(item.url, into=Path(folder), on_progress=_ProgressWriter(rows))
        rows.update(status=DownloadStatus.PROCESSING, progress=99, updated_at=timezone.now())
        duration_ms = read_tags(downloaded.path, name=downloaded.path.name).duration_ms
        if duration_ms and duration_ms > settings.MUSIC_DOWNLOAD_MAX_MINUTES * 60_000:
            raise downloader.too_long(downloaded.title, duration_ms / 1000)
        name = f"{downloaded.title}{downloaded.path.suffix}"
        track, _ = track_import_file(downloaded.path, name=name, source=TrackSource.DOWNLOAD)
    if not track.source_url:
        Track.objects.filter(pk=track.pk).update(source_url=item.url[:2000])
    return track


def _claim(rows, **fields) -> bool:
    """Take a queued row (or one left in progress by a worker that died: untouched for twice the item time limit;
    a live download writes its progress more often than that)."""
    now = timezone.now()
    stale = now - timedelta(seconds=2 * settings.MUSIC_DOWNLOAD_TIME_LIMIT)
    waiting = Q(status=DownloadStatus.QUEUED) | Q(status__in=IN_PROGRESS, updated_at__lt=stale)
    return bool(rows.filter(waiting).update(status=DownloadStatus.DOWNLOADING, updated_at=now, **fields))


def _finish(item: DownloadItem, track: Track) -> None:
    now = timezone.now()
    with transaction.atomic():
        DownloadItem.objects.filter(pk=item.pk).update(
            status=DownloadStatus.DONE, progress=100, track=track, error_code="", error_message="",
            finished_at=now, updated_at=now,
        )  # fmt: skip
        if item.wanted_id:
            WantedTrack.objects.filter(pk=item.wanted_id).update(track=track, updated_at=now)


def _fail(rows, error: MusicError) -> None:
    now = timezone.now()
    fields = {"status": DownloadStatus.FAILED, "error_code": error.code, "error_message": error.message[:300]}
    if rows.model is DownloadItem:
        fields["finished_at"] = now
    rows.update(**fields, updated_at=now)


def _queue(item: DownloadItem) -> None:
    transaction.on_commit(lambda: async_task("music.tasks.download_item", str(item.pk)))


class _ProgressWriter:
    """on_progress for the downloader: the item's percent, written at most every PROGRESS_INTERVAL seconds."""

    def __init__(self, rows):
        self.rows = rows
        self.written_at = 0.0

    def __call__(self, percent: int) -> None:
        now = time.monotonic()
        if now - self.written_at >= PROGRESS_INTERVAL:
            self.written_at = now
            self.rows.update(progress=percent, updated_at=timezone.now())
