"""Download jobs and items as q2 tasks: a link becomes a job, its items tracks of the library (source
"download", with their link); an item is downloaded once however often its task runs; a link the library has
already is linked, not fetched; each failure is recorded on its item; progress is written as bytes arrive."""

from multiprocessing import Event, Queue, Value

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import Success
from django_q.monitor import monitor
from django_q.pusher import pusher
from django_q.worker import worker

from music import tasks
from music.downloads import download_item_retry, download_jobs_submit
from music.models import DownloadItem, DownloadJob, Track
from music.url_policy import RefusedURL
from tests.music.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def inline_tasks(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)  # q2 tasks run inline, when the transaction commits


def submit(*urls, user=None, capture):
    with capture(execute=True):
        return download_jobs_submit(urls=list(urls), user=user)


def test_a_link_becomes_a_track_of_the_library(
    media_server, mp3_bytes, staff_dj, inline_tasks, django_capture_on_commit_callbacks
):
    url = media_server.file("/tone.mp3", mp3_bytes(seconds=2, title="Sunrise", artist="DJ Test"))
    [job] = submit(url, user=staff_dj, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.requested_by, job.is_playlist) == ("done", staff_dj, False)
    [item] = job.items.all()
    assert (item.status, item.progress, item.error_code) == ("done", 100, "")
    assert item.started_at <= item.finished_at
    track = item.track
    assert (track.title, track.artist, track.source, track.source_url) == ("Sunrise", "DJ Test", "download", url)
    assert track.file_format == "mp3" and track.audio.read(3) in (b"ID3", b"\xff\xfb")


def test_a_feed_becomes_one_item_per_episode_each_with_its_own_result(
    media_server, mp3_bytes, inline_tasks, django_capture_on_commit_callbacks
):
    media_server.file("/ep1.mp3", mp3_bytes(frequency=330))
    media_server.page("/ep2.mp3", "<html><body>This episode moved.</body></html>")
    feed = media_server.feed("/feed.xml", "Mixes", [("One", "/ep1.mp3"), ("Two", "/ep2.mp3"), ("Three", "/ep3.mp3")])
    [job] = submit(feed, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.title, job.is_playlist) == ("Mixes", True)
    results = [(item.title, item.status, item.error_code) for item in job.items.order_by("position")]
    assert results == [("One", "done", ""), ("Two", "failed", "not_audio"), ("Three", "failed", "unavailable")]
    assert Track.objects.get().source_url == f"{media_server.url}/ep1.mp3"
    assert "404" in job.items.get(title="Three").error_message


def test_running_an_item_twice_downloads_it_once(media_server, mp3_bytes, django_capture_on_commit_callbacks):
    url = media_server.file("/once.mp3", mp3_bytes())
    [job] = submit(url, capture=django_capture_on_commit_callbacks)  # tasks queued, not run
    with django_capture_on_commit_callbacks(execute=False):
        assert tasks.read_download_job(str(job.pk)) == "done"
        assert tasks.read_download_job(str(job.pk)) == "done"  # read once: still one item
    item = job.items.get()
    assert tasks.download_item(str(item.pk)) == "done"
    fetched = len(media_server.requests)
    assert tasks.download_item(str(item.pk)) == "done"
    assert len(media_server.requests) == fetched
    assert Track.objects.count() == 1


def test_a_link_already_in_the_library_is_linked_not_fetched(media_server, django_capture_on_commit_callbacks):
    url = f"{media_server.url}/known.mp3"
    known = Track.objects.create(title="Known", source="download", source_url=url)
    [job] = submit(url, capture=django_capture_on_commit_callbacks)
    item = DownloadItem.objects.create(job=job, url=url)
    assert tasks.download_item(str(item.pk)) == "done"
    item.refresh_from_db()
    assert (item.track, item.progress) == (known, 100)
    assert media_server.requests == []


def test_a_refused_link_makes_no_job(media_server, django_capture_on_commit_callbacks):
    with pytest.raises(RefusedURL):
        submit(
            f"{media_server.url}/ok.mp3", "http://169.254.169.254/latest/", capture=django_capture_on_commit_callbacks
        )
    assert not DownloadJob.objects.exists()


def test_an_item_longer_than_allowed_fails_and_leaves_nothing(
    media_server, mp3_bytes, settings, media_root, inline_tasks, django_capture_on_commit_callbacks
):
    settings.MUSIC_DOWNLOAD_MAX_MINUTES = 0.02  # 1.2 s
    [job] = submit(media_server.file("/long.mp3", mp3_bytes(seconds=3)), capture=django_capture_on_commit_callbacks)
    item = job.items.get()
    assert (item.status, item.error_code, item.track) == ("failed", "too_long", None)
    assert "limit is 0.02 minutes" in item.error_message
    assert not Track.objects.exists() and stored_files(media_root) == []


def test_progress_is_written_as_bytes_arrive_at_most_twice_a_second(
    media_server, mp3_bytes, django_capture_on_commit_callbacks
):
    url = media_server.file("/progress.mp3", mp3_bytes(seconds=20))
    job = DownloadJob.objects.create(url=url, status="done")
    item = DownloadItem.objects.create(job=job, url=url)
    started = timezone.now()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
        tasks.download_item(str(item.pk))
    seconds = (timezone.now() - started).total_seconds()
    progress_writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and '"progress" =' in q["sql"]]
    # claim (0), download progress (>= 1), processing (99), done (100); no more than one per half second between
    assert 4 <= len(progress_writes) <= 4 + seconds / 0.5


def test_an_item_left_in_progress_by_a_dead_worker_is_taken_again(media_server, mp3_bytes, settings):
    url = media_server.file("/again.mp3", mp3_bytes())
    job = DownloadJob.objects.create(url=url, status="done")
    item = DownloadItem.objects.create(job=job, url=url, status="downloading", progress=40)
    assert tasks.download_item(str(item.pk)) == "downloading"  # another worker may still be at it: left alone
    long_ago = timezone.now() - timezone.timedelta(seconds=3 * settings.MUSIC_DOWNLOAD_TIME_LIMIT)
    DownloadItem.objects.filter(pk=item.pk).update(updated_at=long_ago)
    assert tasks.download_item(str(item.pk)) == "done"


def test_a_failed_item_is_tried_again_on_request(
    media_server, mp3_bytes, inline_tasks, django_capture_on_commit_callbacks
):
    url = f"{media_server.url}/later.mp3"
    [job] = submit(url, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "unavailable")  # the link could not be read: no items
    item = DownloadItem.objects.create(job=job, url=url, status="failed", error_code="unavailable")
    media_server.file("/later.mp3", mp3_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        assert download_item_retry(item)
    item.refresh_from_db()
    assert (item.status, item.error_code) == ("done", "")
    assert not download_item_retry(item)


def test_the_tasks_run_through_the_orm_broker(media_server, mp3_bytes, monkeypatch, django_capture_on_commit_callbacks):
    """As the qcluster runs them: each task stored by the ORM broker, taken by a worker, its result saved."""
    media_server.file("/a.mp3", mp3_bytes(frequency=300))
    media_server.file("/b.mp3", mp3_bytes(frequency=500))
    feed = media_server.feed("/broker.xml", "Broker", [("A", "/a.mp3"), ("B", "/b.mp3")])
    submit(feed, capture=django_capture_on_commit_callbacks)
    broker = get_broker()
    assert broker.queue_size() == 1  # the job's task
    for _ in range(3):  # the job's task, then the items' tasks it queued
        with django_capture_on_commit_callbacks() as queued:
            run_queued_tasks(broker, monkeypatch)
        for enqueue in queued:
            enqueue()
    assert broker.queue_size() == 0
    assert sorted(DownloadItem.objects.values_list("title", "status")) == [("A", "done"), ("B", "done")]
    assert Track.objects.count() == 2
    assert Success.objects.filter(func__in=["music.tasks.read_download_job", "music.tasks.download_item"]).count() == 3


def run_queued_tasks(broker, monkeypatch) -> None:
    """What a cluster does with the tasks waiting in the broker, in this process: push, work, save results."""
    task_queue, result_queue, stop = Queue(), Queue(), Event()
    stop.set()
    while broker.queue_size():
        pusher(task_queue, stop, broker=broker)
    task_queue.put("STOP")
    with monkeypatch.context() as patch:
        patch.setattr(Conf, "SYNC", True)  # or the worker closes the test's database connection after each task
        worker(task_queue, result_queue, Value("f", -1))
        result_queue.put("STOP")
        monitor(result_queue, broker)
