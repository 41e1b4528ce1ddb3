"""manage.py download URL... [--wait]: queues jobs, or downloads here with one line per item; a refused link is
one readable line and a non-zero exit, with nothing queued."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_q.models import OrmQ

from music.models import DownloadJob, Track

pytestmark = pytest.mark.django_db


def test_wait_downloads_each_item_here_and_says_how_it_went(
    media_server, mp3_bytes, capsys, django_capture_on_commit_callbacks
):
    media_server.file("/a.mp3", mp3_bytes(title="Alpha", artist="Band"))
    feed = media_server.feed("/f.xml", "Feed", [("Alpha", "/a.mp3"), ("Missing", "/missing.mp3")])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError, match="1 download failed"):
        call_command("download", feed, "--wait")
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"[1/2] {media_server.url}/a.mp3: done: Alpha — Band"]
    assert err.splitlines() == [f"[2/2] {media_server.url}/missing.mp3: failed (unavailable): Unavailable (HTTP 404)."]
    assert Track.objects.get().source_url == f"{media_server.url}/a.mp3"
    queued = sorted(task.func() for task in OrmQ.objects.all())
    assert queued == ["music.tasks.analyze_track", "music.tasks.fingerprint_track"]  # the new track's; no download


def test_without_wait_the_jobs_are_queued(media_server, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("download", f"{media_server.url}/x.mp3")
    job = DownloadJob.objects.get()
    assert capsys.readouterr().out == f"Queued {job.url} (job {job.pk}).\n"
    assert OrmQ.objects.count() == 1
    assert media_server.requests == []


def test_a_refused_link_is_one_line_and_a_non_zero_exit():
    run = subprocess.run(
        [sys.executable, "manage.py", "download", "http://169.254.169.254/latest/meta-data/"],
        capture_output=True, text=True, env={"DJANGO_ENV": "test", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert run.returncode == 1
    assert (
        run.stderr.strip()
        == "CommandError: 169.254.169.254 is a private or reserved address (169.254.169.254): refused."
    )
    assert run.stdout == ""
