"""Audio made by the tests: short tones encoded by ffmpeg, tagged by ffmpeg's -metadata (no binaries in the
repository). The library's storage is a temporary folder per test. Enrichment tests get fake MusicBrainz, AcoustID and
Cover Art Archive servers."""

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.fakes.musicbrainz_server import FakeAcoustId, FakeCoverArtArchive, FakeMusicBrainz


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root: Path) -> list[Path]:
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


@pytest.fixture
def make_audio():
    """make_audio(path, seconds=1.0, frequency=440, **tags): a tone encoded by the file's extension."""

    def make(path: Path, seconds: float = 1.0, frequency: int = 440, **tags: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        metadata = [arg for name, value in tags.items() for arg in ("-metadata", f"{name}={value}")]
        command = ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i"]
        command += [f"sine=frequency={frequency}:duration={seconds}", *metadata, str(path)]
        subprocess.run(command, check=True)
        return path

    return make


ACOUSTID_KEY = "test-acoustid-key"


@pytest.fixture
def enrichment(settings):
    """Enrichment on, against fake MusicBrainz, AcoustID and Cover Art Archive servers on 127.0.0.1 (no rate-limit
    wait: the fakes do not need it)."""
    services = SimpleNamespace(
        musicbrainz=FakeMusicBrainz().start(),
        acoustid=FakeAcoustId(ACOUSTID_KEY).start(),
        covers=FakeCoverArtArchive().start(),
    )
    settings.MUSIC_ENRICHMENT_ENABLED = True
    settings.MUSICBRAINZ_URL = f"{services.musicbrainz.url}/ws/2/"
    settings.ACOUSTID_URL = f"{services.acoustid.url}/v2/"
    settings.COVER_ART_ARCHIVE_URL = f"{services.covers.url}/"
    settings.ACOUSTID_API_KEY = ACOUSTID_KEY
    settings.MUSICBRAINZ_CONTACT = "dj@example.com"
    settings.MUSICBRAINZ_MIN_INTERVAL = 0
    settings.MUSICBRAINZ_GENRES = True
    yield services
    for server in (services.musicbrainz, services.acoustid, services.covers):
        server.stop()


@pytest.fixture
def media_server(settings):
    """The tests' web server on 127.0.0.1 (tests/fakes/media_server.py), the one host the URL policy lets through,
    with yt-dlp's generic extractor allowed (direct files and RSS feeds)."""
    from tests.fakes.media_server import MediaServer

    server = MediaServer().start()
    settings.MUSIC_DOWNLOAD_ALLOW_HOST = server.url.removeprefix("http://")
    settings.MUSIC_DOWNLOAD_EXTRACTORS = ["generic"]
    yield server
    server.stop()


@pytest.fixture
def mp3_bytes(make_audio, tmp_path):
    """mp3_bytes(seconds=2.0, frequency=440, **tags) -> an MP3 file's bytes."""
    count = iter(range(1000))

    def make(seconds: float = 2.0, frequency: int = 440, **tags: str) -> bytes:
        return make_audio(tmp_path / "made" / f"{next(count)}.mp3", seconds, frequency, **tags).read_bytes()

    return make
