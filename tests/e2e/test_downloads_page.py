"""A staff DJ pastes a podcast feed on the Downloads page and watches its items go from queued to 100 % / Done
without reloading (the page polls the status endpoint); a worker (here a thread of the test) runs the q2 tasks."""

import subprocess
import threading

import pytest
from django.db import connections
from playwright.sync_api import expect

from music import tasks
from music.models import DownloadItem, DownloadJob, Track
from tests.fakes.media_server import MediaServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def media_server(settings):
    server = MediaServer().start()
    settings.MUSIC_DOWNLOAD_ALLOW_HOST = server.url.removeprefix("http://")
    settings.MUSIC_DOWNLOAD_EXTRACTORS = ["generic"]
    yield server
    server.stop()


def tone(path, seconds: float, frequency: int, **tags: str) -> bytes:
    """An MP3 tone made by ffmpeg, tagged."""
    metadata = [arg for name, value in tags.items() for arg in ("-metadata", f"{name}={value}")]
    command = [
        "ffmpeg",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={frequency}:duration={seconds}",
    ]
    subprocess.run([*command, *metadata, str(path)], check=True)
    return path.read_bytes()


def run_worker(job_id) -> threading.Thread:
    """What a q2 worker would do with the job's tasks, in a thread beside the browser."""

    def work():
        try:
            tasks.read_download_job(str(job_id))
            for item in DownloadItem.objects.filter(job_id=job_id).order_by("position"):
                tasks.download_item(str(item.pk))
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_a_feed_is_downloaded_with_live_progress(
    transactional_db, staff_dj, live_page, media_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    slow = tone(tmp_path / "slow.mp3", 90, 440, title="Slow Burn", artist="The Testers")
    media_server.file("/slow.mp3", slow, pause=0.4)  # 64 KiB every 0.4 s: progress shows between 0 and 100
    media_server.file("/quick.mp3", tone(tmp_path / "quick.mp3", 2, 660, title="Quick Step"))
    feed = media_server.feed(
        "/feed.xml", "Warm-up", [("Slow Burn", "/slow.mp3"), ("Quick Step", "/quick.mp3"), ("Gone", "/gone.mp3")]
    )

    page = live_page(1280, 900, user=staff_dj)
    page.goto("/library/downloads/")
    page.get_by_label("Links").fill(feed)
    page.get_by_role("button", name="Download").click()
    expect(page.locator(".notice")).to_contain_text("1 link queued.")
    job = DownloadJob.objects.get()
    seen = []
    page.expose_function("recordProgress", lambda percent: seen.append(percent))
    page.evaluate(
        """() => new MutationObserver(() => document.querySelectorAll('.download-progress')
             .forEach((bar) => window.recordProgress(Number(bar.getAttribute('aria-valuenow')))))
           .observe(document.getElementById('download-jobs'), {subtree: true, attributes: true, childList: true})"""
    )
    worker = run_worker(job.pk)

    items = page.locator(".download-item")
    expect(items).to_have_count(3, timeout=20_000)
    slow_item, quick_item, gone_item = items.nth(0), items.nth(1), items.nth(2)
    expect(slow_item.locator("[data-item-status]")).to_have_text("Done", timeout=30_000)
    expect(slow_item.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(slow_item).to_contain_text("Slow Burn — The Testers")
    expect(quick_item.locator("[data-item-status]")).to_have_text("Done", timeout=20_000)
    expect(gone_item.locator("[data-item-status]")).to_have_text("Failed", timeout=20_000)
    expect(gone_item).to_contain_text("Unavailable (HTTP 404).")
    worker.join(timeout=30)

    assert any(0 < percent < 100 for percent in seen), seen  # the bar moved while the bytes arrived
    assert sorted(Track.objects.values_list("title", flat=True)) == ["Quick Step", "Slow Burn"]
