"""Tags are written back through Django's storage API, so a library kept on S3-compatible storage works the same:
here against moto's S3 server on 127.0.0.1 (django-storages' S3 backend, boto3)."""

import hashlib
import tempfile
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from music.models import Track
from music.services import track_import_file
from music.tag_services import track_write_tags
from music.tags import EmbeddedImage, read_tags, write_tags
from tests.music.audio import encode
from tests.music.images import image_bytes

pytestmark = pytest.mark.django_db
BUCKET = "djbiz-library"


@pytest.fixture
def s3_storage(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    s3 = boto3.client("s3", endpoint_url=endpoint, **credentials)
    s3.create_bucket(Bucket=BUCKET)
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        "file_overwrite": False,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield s3
    server.stop()


def keys(s3) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_tags_are_written_to_a_file_on_s3(s3_storage, tmp_path, django_capture_on_commit_callbacks):
    song = encode(tmp_path / "song.m4a", seconds=2, title="old")
    write_tags(song, {}, cover=EmbeddedImage(image_bytes(700, 700), "image/jpeg"))
    track, _ = track_import_file(song)
    assert len(keys(s3_storage)) == 4  # the audio, the cover, two thumbnails
    Track.objects.filter(pk=track.pk).update(title="Titanium", artist="David Guetta", key="E♭ major")
    track.refresh_from_db()
    old_key = track.audio.name

    with django_capture_on_commit_callbacks(execute=True):
        track_write_tags(track=track, include_analysis=True)

    track.refresh_from_db()
    stored = s3_storage.get_object(Bucket=BUCKET, Key=track.audio.name)["Body"].read()
    assert (hashlib.sha256(stored).hexdigest(), len(stored)) == (track.file_sha256, track.file_size)
    with tempfile.NamedTemporaryFile(suffix=".m4a") as copy:
        Path(copy.name).write_bytes(stored)
        tags = read_tags(Path(copy.name))
    assert (tags.title, tags.artist, tags.key) == ("Titanium", "David Guetta", "Eb major")
    assert old_key not in keys(s3_storage) and track.audio.name in keys(s3_storage)
