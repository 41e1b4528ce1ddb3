"""The staff pages: /library/downloads/ (paste links, see each item's status and progress, poll them as JSON, try a
failed item again), /library/wanted/ (Spotify playlists), and the admin. Clients and strangers get nothing."""

import pytest
from django.test import Client
from django_q.conf import Conf

from music.models import DownloadItem, DownloadJob, WantedList
from tests.fakes.spotify_server import FakeSpotify
from tests.music.test_spotify import PLAYLIST, song

pytestmark = pytest.mark.django_db

PAGE = "/library/downloads/"
STATUS = "/library/downloads/status/"


@pytest.fixture
def staff_client(client, staff_dj):
    client.force_login(staff_dj)
    return client


def test_staff_paste_links_and_see_them_queued(staff_client, media_server, django_capture_on_commit_callbacks):
    links = f"{media_server.url}/a.mp3\n\n  {media_server.url}/feed.xml  \n"
    with django_capture_on_commit_callbacks(execute=False):
        answer = staff_client.post(PAGE, {"links": links}, follow=True)
    page = answer.content.decode()
    assert "2 links queued." in page
    assert sorted(DownloadJob.objects.values_list("url", flat=True)) == [
        f"{media_server.url}/a.mp3",
        f"{media_server.url}/feed.xml",
    ]
    assert page.count('class="card download-job"') == 2


def test_a_refused_link_is_shown_on_the_form_and_nothing_is_queued(staff_client):
    answer = staff_client.post(PAGE, {"links": "http://10.1.2.3/song.mp3"})
    assert answer.status_code == 200
    assert "10.1.2.3 is a private or reserved address (10.1.2.3): refused." in answer.content.decode()
    assert not DownloadJob.objects.exists()


def test_items_show_their_progress_and_errors_and_the_status_feed_says_so(staff_client):
    job = DownloadJob.objects.create(url="https://example.com/feed.xml", title="Show", status="done", is_playlist=True)
    DownloadItem.objects.create(
        job=job, position=0, url="https://example.com/1.mp3", title="One", status="downloading", progress=42
    )
    failed = DownloadItem.objects.create(
        job=job, position=1, url="https://example.com/2.mp3", title="Two", status="failed",
        error_code="not_audio", error_message="No audio there: the link is a web page, not a media file.",
    )  # fmt: skip
    page = staff_client.get(PAGE).content.decode()
    assert 'aria-valuenow="42"' in page and "width: 42%" in page
    assert "No audio there: the link is a web page, not a media file." in page
    assert f"/library/downloads/items/{failed.pk}/retry/" in page

    state = staff_client.get(STATUS).json()
    assert state["active"] is True
    [listed] = state["jobs"]
    assert [(item["title"], item["status"], item["progress"], item["error_code"]) for item in listed["items"]] == [
        ("One", "downloading", 42, ""),
        ("Two", "failed", 0, "not_audio"),
    ]
    DownloadItem.objects.filter(title="One").update(status="done", progress=100)
    assert staff_client.get(STATUS).json()["active"] is False


def test_a_failed_item_can_be_tried_again(staff_client, django_capture_on_commit_callbacks):
    job = DownloadJob.objects.create(url="https://example.com/a.mp3", status="done")
    item = DownloadItem.objects.create(job=job, url=job.url, status="failed", error_code="unavailable")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = staff_client.post(f"/library/downloads/items/{item.pk}/retry/", follow=True)
    assert "queued again" in answer.content.decode()
    item.refresh_from_db()
    assert (item.status, item.error_code, len(queued)) == ("queued", "", 1)


def test_a_spotify_playlist_pasted_on_the_downloads_page_becomes_a_wanted_list(staff_client, settings, media_server):
    fake = FakeSpotify(client_id="id", client_secret="secret").start()
    try:
        settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "id", "secret"
        settings.SPOTIFY_ACCOUNTS_BASE, settings.SPOTIFY_API_BASE = fake.url, f"{fake.url}/v1"
        fake.playlist(PLAYLIST, "Cocktails", [song("Fly Me to the Moon", "Frank Sinatra", seconds=148)])
        answer = staff_client.post(PAGE, {"links": f"https://open.spotify.com/playlist/{PLAYLIST}"}, follow=True)
    finally:
        fake.stop()
    wanted = WantedList.objects.get()
    assert answer.redirect_chain[-1][0] == f"/library/wanted/{wanted.pk}/"
    page = answer.content.decode()
    assert "Fly Me to the Moon" in page and "2:28" in page and "Link to download it from" in page
    assert not DownloadJob.objects.exists()


def test_a_source_link_for_a_wanted_track_is_downloaded(
    staff_client, media_server, mp3_bytes, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)
    wanted = WantedList.objects.create(url="https://open.spotify.com/playlist/x", spotify_id="x", name="Party")
    row = wanted.tracks.create(title="Tone", artist="Test", duration_ms=2000)
    url = media_server.file("/tone.mp3", mp3_bytes(title="Tone", artist="Test"))
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            f"/library/wanted/{wanted.pk}/tracks/{row.pk}/source/", {f"{row.pk}-url": url}, follow=True
        )
    assert "“Tone — Test” queued for download." in answer.content.decode()
    assert "Have it" in staff_client.get(f"/library/wanted/{wanted.pk}/").content.decode()
    row.refresh_from_db()
    assert row.track.source_url == url


def test_the_admin_lists_jobs_items_and_wanted_lists(staff_client):
    job = DownloadJob.objects.create(url="https://example.com/a.mp3", title="A job", status="done")
    DownloadItem.objects.create(job=job, url=job.url, title="An item", status="failed", error_code="too_large")
    WantedList.objects.create(url="https://open.spotify.com/playlist/x", spotify_id="x", name="A list")
    assert "A job" in staff_client.get("/admin/music/downloadjob/").content.decode()
    assert "An item" in staff_client.get("/admin/music/downloaditem/?status=failed").content.decode()
    assert "A list" in staff_client.get("/admin/music/wantedlist/").content.decode()


def test_posting_without_a_csrf_token_is_refused(staff_dj):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_dj)
    assert browser.post(PAGE, {"links": "https://example.com/a.mp3"}).status_code == 403
    assert not DownloadJob.objects.exists()


@pytest.mark.parametrize("path", [PAGE, STATUS, "/library/wanted/"])
def test_clients_get_a_404_and_strangers_the_login_page(client, client_a, path):
    assert client.get(path).status_code == 302
    client.force_login(client_a.user)
    assert client.get(path).status_code == 404
    assert client.post(path, {"links": "https://example.com/a.mp3", "url": "x"}).status_code in (404, 405)
    assert not DownloadJob.objects.exists()


def test_a_refused_source_link_for_a_wanted_track_says_why(staff_client):
    wanted = WantedList.objects.create(url="https://open.spotify.com/playlist/x", spotify_id="x", name="Party")
    row = wanted.tracks.create(title="Tone", artist="Test")
    source = f"/library/wanted/{wanted.pk}/tracks/{row.pk}/source/"
    answer = staff_client.post(source, {f"{row.pk}-url": "http://192.168.0.10/tone.mp3"}, follow=True)
    assert (
        "“Tone — Test”: 192.168.0.10 is a private or reserved address (192.168.0.10): refused."
        in answer.content.decode()
    )
    answer = staff_client.post(source, {f"{row.pk}-url": "not a link at all"}, follow=True)
    assert "“Tone — Test”: Enter a valid URL." in answer.content.decode()
    assert not DownloadJob.objects.exists()
