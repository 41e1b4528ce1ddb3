"""The library on S3-compatible storage (django-storages, boto3) against moto's S3 server on 127.0.0.1: files are
imported into the bucket, analysed, normalized and previewed from temporary local copies, and deleted with
their track. MEDIA_STORAGE=s3 in the environment switches the site's storage to the bucket."""

import os
import socket
import subprocess
import sys
import tempfile
import urllib.request
from datetime import timedelta
from pathlib import Path

import boto3
import numpy as np
import pytest
from django.test import Client
from moto.server import ThreadedMotoServer

from music.models import Track
from music.processing_services import crossfade_preview, crossfade_previews_expire, track_normalize
from music.services import track_analyze, track_delete, track_import_file
from tests.music.audio import RATE, chords, clicks, write_wav

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "djbiz-media"
KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_server():
    """moto's S3 server on 127.0.0.1 with an empty bucket; yields (endpoint URL, boto3 client)."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """The default storage is the bucket (as MEDIA_STORAGE=s3 makes it), under a folder of the bucket."""
    endpoint, client = s3_server
    options = {
        "bucket_name": BUCKET,
        "access_key": KEYS["AWS_ACCESS_KEY_ID"],
        "secret_key": KEYS["AWS_SECRET_ACCESS_KEY"],
        "region_name": "us-east-1",
        "endpoint_url": endpoint,
        "addressing_style": "path",
        "location": "media",
        "default_acl": None,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return client


def keys_in(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_a_track_lives_in_the_bucket_from_import_to_deletion(
    s3_storage, s3_server, staff_dj, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    music = clicks(120, seconds=16) * 0.5 + chords([["A", "C", "E"]] * 8) * 0.3
    track, created = track_import_file(write_wav(tmp_path / "song.wav", music))
    assert created
    assert keys_in(s3_storage) == [f"media/{track.audio.name}"]
    assert (
        s3_storage.get_object(Bucket=BUCKET, Key=f"media/{track.audio.name}")["Body"].read()
        == (tmp_path / "song.wav").read_bytes()
    )
    with pytest.raises(NotImplementedError):
        _ = track.audio.path  # no local path: analysis must work from a copy

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the temporary copies go
    analysed = track_analyze(track.pk)
    assert (analysed.analysis_status, analysed.analysis_error) == ("done", "")
    assert abs(float(analysed.bpm) - 120) < 1 and analysed.camelot == "8A"
    normalized = track_normalize(track_id=track.pk)
    other, _ = track_import_file(write_wav(tmp_path / "other.wav", np.sin(np.arange(RATE * 20) * 0.1) * 0.3))
    preview = crossfade_preview(first=normalized, second=other, seconds=4)
    assert list(scratch.iterdir()) == []  # the copies are gone

    page = Client()
    page.force_login(staff_dj)
    answer = page.get(f"/library/tracks/{track.pk}/audio/")  # the player gets the file from the bucket, signed
    assert answer.status_code == 302 and answer["Location"].startswith(f"{s3_server[0]}/{BUCKET}/media/tracks/")
    assert "X-Amz-Signature=" in answer["Location"]
    with urllib.request.urlopen(answer["Location"], timeout=10) as signed:  # moto, on 127.0.0.1
        assert signed.read() == (tmp_path / "song.wav").read_bytes()

    assert keys_in(s3_storage) == sorted(
        f"media/{name}" for name in (track.audio.name, normalized.normalized_audio.name, other.audio.name, preview)
    )
    with django_capture_on_commit_callbacks(execute=True):
        track_delete(Track.objects.get(pk=track.pk))
    assert keys_in(s3_storage) == sorted([f"media/{other.audio.name}", f"media/{preview}"])
    assert crossfade_previews_expire(older_than=timedelta(days=1)) == 0
    assert crossfade_previews_expire(older_than=timedelta(0)) == 1  # previews are a cache, expired from the bucket
    assert keys_in(s3_storage) == [f"media/{other.audio.name}"]


def _manage_shell(script: str, **env: str) -> subprocess.CompletedProcess:
    clean = {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "MEDIA_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_media_storage_s3_in_the_environment_puts_files_in_the_bucket(s3_server):
    endpoint, client = s3_server
    script = (
        "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage;"
        "name = default_storage.save('hello.txt', ContentFile(b'hello')); print(name); print(default_storage.url(name))"
    )
    result = _manage_shell(
        script,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_LOCATION="djbiz",
        AWS_QUERYSTRING_EXPIRE="600",
        **KEYS,
    )
    assert result.returncode == 0, result.stderr
    name, url = result.stdout.split()
    assert client.get_object(Bucket=BUCKET, Key=f"djbiz/{name}")["Body"].read() == b"hello"
    assert url.startswith(f"{endpoint}/{BUCKET}/djbiz/hello.txt?") and "X-Amz-Expires=600" in url  # signed


def test_media_storage_s3_without_a_bucket_stops_with_one_clear_line():
    result = _manage_shell("print('started')", MEDIA_STORAGE="s3")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "djbiz: configuration error: MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (see .env.example)"
    ]
