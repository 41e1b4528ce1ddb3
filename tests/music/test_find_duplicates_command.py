"""manage.py find_duplicates: fingerprints the tracks that have none, prints the groups (or JSON lines), and with
--merge merges each group into its best copy; a missing fpcalc or an unreadable file is one readable line."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from music.models import Track
from music.services import track_import_file
from tests.factories import SongRequestFactory
from tests.music import recordings
from tests.music.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return recordings.copies_and_another(tmp_path_factory.mktemp("copies"))


def run(*args, out: io.StringIO | None = None) -> str:
    out = out or io.StringIO()
    call_command("find_duplicates", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_tracks_without_fingerprints_are_fingerprinted_and_grouped(files):
    tracks = {name: track_import_file(files[name])[0] for name in ("flac", "mp3-128", "other")}  # no task ran
    output = run()
    assert Track.objects.filter(fingerprint="").count() == 0
    assert "Group 1: Night Drive — Luma (2 copies)" in output
    assert "keep   Night Drive — Luma [flac, " in output
    assert tracks["mp3-128"].audio.name in output and tracks["other"].audio.name not in output
    assert output.strip().endswith("1 group of duplicates (2 tracks).")


def test_json_lines(files):
    tracks = recordings.library(files, "flac", "mp3-320", "trimmed")
    [line] = run("--json").strip().splitlines()
    group = json.loads(line)
    assert group["keep"]["id"] == str(tracks["flac"].pk) and group["keep"]["format"] == "flac"
    assert {copy["id"] for copy in group["copies"]} == {str(tracks["mp3-320"].pk), str(tracks["trimmed"].pk)}
    assert group["merged"] is False
    assert [copy["bitrate_kbps"] // 10 for copy in group["copies"]] == [32, 19]


def test_merge_keeps_the_best_copy_of_each_group(files, media_root, django_capture_on_commit_callbacks):
    tracks = recordings.library(files, "mp3-128", "flac", "m4a", "other")
    request = SongRequestFactory(track=tracks["m4a"])
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--merge")
    assert "(3 copies) — merged" in output
    assert set(Track.objects.all()) == {tracks["flac"], tracks["other"]}
    request.refresh_from_db()
    assert request.track == tracks["flac"]
    assert len(stored_files(media_root)) == 2
    assert run().strip() == "0 groups of duplicates (0 tracks)."


def test_a_missing_fpcalc_is_one_line(files, settings):
    track_import_file(files["flac"])
    settings.MUSIC_FPCALC = "/nonexistent/fpcalc"
    with pytest.raises(CommandError, match=r"^fpcalc was not found \(/nonexistent/fpcalc\): install"):
        run()


def test_a_track_that_cannot_be_fingerprinted_is_reported_and_the_rest_grouped(files):
    tracks = recordings.library(files, "flac", "mp3-320")
    broken = track_import_file(files["m4a"])[0]
    broken.audio.storage.delete(broken.audio.name)
    broken.audio.storage.save(broken.audio.name, ContentFile(b"no audio"))
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 track\(s\) could not be fingerprinted \(see above\)\.$"):
        run(out=out)
    assert (
        f"[1/1] not fingerprinted: {broken.audio.name.rsplit('/', 1)[-1]} could not be fingerprinted" in out.getvalue()
    )
    assert "Group 1: Night Drive — Luma (2 copies)" in out.getvalue()
    assert set(Track.objects.exclude(fingerprint="")) == set(tracks.values())
