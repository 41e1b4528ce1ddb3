"""/api/v1/downloads/: staff submit links and follow each job's items (status, progress, errors, track); a refused
link refuses the request; clients and anonymous callers get nothing."""

import pytest
from django_q.conf import Conf

from music.models import DownloadJob

pytestmark = pytest.mark.django_db

URL = "/api/v1/downloads/"


@pytest.fixture
def inline_tasks(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)


def test_staff_submit_a_feed_and_follow_its_items(
    staff_dj, api_for, media_server, mp3_bytes, inline_tasks, django_capture_on_commit_callbacks
):
    media_server.file("/one.mp3", mp3_bytes(title="One", artist="Band"))
    feed = media_server.feed("/feed.xml", "Show", [("One", "/one.mp3"), ("Gone", "/gone.mp3")])
    api = api_for(staff_dj)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(URL, {"urls": [feed]}, format="json")
    assert answer.status_code == 201
    [job] = answer.json()
    assert (job["url"], job["status"], job["requested_by"]) == (feed, "queued", "dj@example.com")

    detail = api.get(f"{URL}{job['id']}/").json()
    assert (detail["title"], detail["status"], detail["is_playlist"]) == ("Show", "done", True)
    one, gone = detail["items"]
    assert (one["title"], one["status"], one["progress"], one["error_code"]) == ("One", "done", 100, "")
    assert one["track"] is not None
    assert (gone["status"], gone["error_code"]) == ("failed", "unavailable")
    assert "404" in gone["error_message"]

    listed = api.get(URL, {"status": "done"}).json()["results"]
    assert [job["id"] for job in listed] == [detail["id"]]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "gopher://x/"])
def test_a_refused_link_refuses_the_request(staff_dj, api_for, media_server, url):
    answer = api_for(staff_dj).post(URL, {"urls": [f"{media_server.url}/ok.mp3", url]}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "refused"
    assert not DownloadJob.objects.exists()


def test_a_spotify_link_is_refused_with_the_way_to_a_wanted_list(staff_dj, api_for):
    link = "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"
    answer = api_for(staff_dj).post(URL, {"urls": [link]}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "spotify"
    assert "Paste a Spotify playlist on the Downloads page" in answer.json()["detail"]
    assert not DownloadJob.objects.exists()


def test_no_links_is_a_bad_request(staff_dj, api_for):
    assert api_for(staff_dj).post(URL, {"urls": []}, format="json").status_code == 400


def test_clients_and_anonymous_callers_cannot_download(client_a, api_for):
    assert api_for(client_a.user).get(URL).status_code == 403
    assert api_for(client_a.user).post(URL, {"urls": ["https://example.com/a.mp3"]}, format="json").status_code == 403
    assert api_for(None).get(URL).status_code in (401, 403)
    assert not DownloadJob.objects.exists()
