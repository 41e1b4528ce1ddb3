"""yt-dlp against a local web server: a direct file, a podcast feed read as a playlist, and each failure the DJ
is told about (404, a web page, over the byte cap with no Content-Length, a redirect to a private address, a
non-http link, a site whose extractor is not allowed)."""

import subprocess
from pathlib import Path

import pytest

from music import downloader
from music.url_policy import RefusedURL
from tests.fakes.media_server import MediaServer


def codec_of(path: Path) -> str:
    probe = ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0"]
    return subprocess.run([*probe, str(path)], capture_output=True, text=True, check=True).stdout.strip()


def test_a_direct_file_is_downloaded_and_extracted_to_the_configured_format(
    media_server, mp3_bytes, tmp_path, settings
):
    settings.MUSIC_DOWNLOAD_FORMAT = "opus"
    url = media_server.file("/songs/tone.mp3", mp3_bytes(seconds=3))
    seen, folder = [], tmp_path / "job"
    folder.mkdir()
    got = downloader.download_audio(url, into=folder, on_progress=seen.append)
    assert got.path == folder / "download.opus"
    assert codec_of(got.path) == "opus"
    assert seen and seen == sorted(seen) and all(0 <= percent <= 99 for percent in seen)
    assert [path.name for path in folder.iterdir()] == ["download.opus"]  # a fixed name, nothing else left


def test_a_podcast_feed_is_a_playlist_of_its_enclosures(media_server, mp3_bytes):
    for number in (1, 2, 3):
        media_server.file(f"/ep{number}.mp3", mp3_bytes(frequency=300 + number * 100))
    feed = media_server.feed(
        "/feed.xml", "Warm-up mixes", [("One", "/ep1.mp3"), ("Two", "/ep2.mp3"), ("Three", "/ep3.mp3")]
    )
    listing = downloader.list_entries(feed)
    assert listing.is_playlist and listing.title == "Warm-up mixes"
    assert [(entry.title, entry.url) for entry in listing.entries] == [
        ("One", f"{media_server.url}/ep1.mp3"),
        ("Two", f"{media_server.url}/ep2.mp3"),
        ("Three", f"{media_server.url}/ep3.mp3"),
    ]


def test_a_single_file_lists_as_one_entry(media_server, mp3_bytes):
    url = media_server.file("/one.mp3", mp3_bytes())
    listing = downloader.list_entries(url)
    assert not listing.is_playlist and [entry.url for entry in listing.entries] == [url]


def test_a_missing_file_is_unavailable(media_server, tmp_path):
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(f"{media_server.url}/gone.mp3", into=tmp_path)
    assert failure.value.code == "unavailable" and "404" in failure.value.message


def test_a_file_behind_a_login_is_private(media_server, tmp_path):
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(media_server.error("/members.mp3", 403), into=tmp_path)
    assert failure.value.code == "private" and "403" in failure.value.message


def test_a_web_page_is_not_audio(media_server, tmp_path):
    url = media_server.page("/about.html", "<html><head><title>About</title></head><body>Hello</body></html>")
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(url, into=tmp_path)
    assert failure.value.code == "not_audio"


def test_html_served_as_audio_is_not_audio(media_server, tmp_path):
    url = media_server.file("/fake.mp3", b"<html><body>" + b"not audio " * 500 + b"</body></html>")
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(url, into=tmp_path)
    assert failure.value.code == "not_audio"


def test_the_byte_cap_holds_without_content_length(media_server, mp3_bytes, tmp_path, settings):
    settings.MUSIC_DOWNLOAD_MAX_BYTES = 100_000
    body = mp3_bytes(seconds=2) * 40  # well over the cap, sent with no Content-Length
    assert len(body) > 4 * settings.MUSIC_DOWNLOAD_MAX_BYTES
    url = media_server.stream("/endless.mp3", body)
    folder = tmp_path / "job"
    folder.mkdir()
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(url, into=folder)
    assert failure.value.code == "too_large"
    assert sum(path.stat().st_size for path in folder.iterdir()) <= settings.MUSIC_DOWNLOAD_MAX_BYTES + 64 * 1024


def test_the_byte_cap_holds_with_a_large_content_length(media_server, mp3_bytes, tmp_path, settings):
    settings.MUSIC_DOWNLOAD_MAX_BYTES = 200_000
    url = media_server.file("/big.mp3", mp3_bytes(seconds=2) * 40)
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(url, into=tmp_path)
    assert failure.value.code == "too_large"


@pytest.mark.parametrize("target", ["http://10.0.0.1/x.mp3", "http://169.254.169.254/latest/meta-data/"])
def test_a_redirect_to_a_private_address_is_refused(media_server, tmp_path, target):
    url = media_server.redirect("/go", target)
    with pytest.raises(RefusedURL) as failure:
        downloader.download_audio(url, into=tmp_path)
    assert target.split("/")[2] in failure.value.message


def test_a_redirect_to_another_loopback_server_never_reaches_it(media_server, tmp_path):
    """The refused address is a real server: the redirect is refused before any connection to it."""
    inside = MediaServer(host="127.0.0.2").start()
    try:
        secret = inside.file("/secret.mp3", b"secret")
        with pytest.raises(RefusedURL):
            downloader.download_audio(media_server.redirect("/go", secret), into=tmp_path)
        with pytest.raises(RefusedURL):
            downloader.list_entries(secret)
        assert inside.requests == []
    finally:
        inside.stop()


@pytest.mark.parametrize("url", ["ftp://example.com/song.mp3", "file:///etc/passwd", "http://127.0.0.1:9/x.mp3"])
def test_links_outside_the_policy_are_refused_before_any_request(url, tmp_path, settings):
    settings.MUSIC_DOWNLOAD_EXTRACTORS = ["generic"]
    with pytest.raises(RefusedURL):
        downloader.download_audio(url, into=tmp_path)


def test_the_generic_extractor_is_off_unless_allowed(media_server, mp3_bytes, tmp_path, settings):
    settings.MUSIC_DOWNLOAD_EXTRACTORS = ["youtube", "soundcloud"]
    url = media_server.file("/song.mp3", mp3_bytes())
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(url, into=tmp_path)
    assert failure.value.code == "refused"
    assert media_server.requests == []


def test_live_streams_and_long_items_are_ruled_out_from_their_description(settings):
    settings.MUSIC_DOWNLOAD_MAX_MINUTES = 10
    assert downloader.refusal_for({"title": "Radio", "is_live": True}).code == "live"
    assert downloader.refusal_for({"title": "Soon", "live_status": "is_upcoming"}).code == "live"
    too_long = downloader.refusal_for({"title": "Boiler room", "duration": 3600})
    assert too_long.code == "too_long" and "60.0 minutes" in too_long.message
    assert downloader.refusal_for({"title": "Edit", "duration": 240}) is None


def test_an_item_over_the_time_limit_is_stopped(media_server, mp3_bytes, tmp_path, settings):
    settings.MUSIC_DOWNLOAD_TIME_LIMIT = 1
    url = media_server.file("/slow.mp3", mp3_bytes(seconds=2) * 20, pause=0.5)  # 64 KiB every half second
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(url, into=tmp_path)
    assert failure.value.code == "timeout" and "longer than 1 seconds" in failure.value.message


def test_a_site_that_stops_sending_times_out(media_server, mp3_bytes, tmp_path, settings):
    settings.MUSIC_DOWNLOAD_SOCKET_TIMEOUT = 1
    url = media_server.file("/stalls.mp3", mp3_bytes(seconds=2) * 20, pause=3)
    with pytest.raises(downloader.DownloadFailed) as failure:
        downloader.download_audio(url, into=tmp_path)
    assert failure.value.code == "timeout" and "nothing for 1 seconds" in failure.value.message


def test_a_proxy_from_the_environment_is_not_used(media_server, mp3_bytes, tmp_path, monkeypatch):
    """A proxy would be the address the policy checks, and would fetch anything for us: downloads go direct."""
    proxy = MediaServer().start()
    try:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "all_proxy"):
            monkeypatch.setenv(name, proxy.url)
        got = downloader.download_audio(media_server.file("/direct.mp3", mp3_bytes()), into=tmp_path)
        assert got.path.exists() and proxy.requests == []
    finally:
        proxy.stop()
