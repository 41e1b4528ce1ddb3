"""Staff write the library's catalogue back into the audio files (service, q2 task, admin action, API): title,
artist, album, genre, year, comment and cover art; the analysed BPM and key only when asked. The file is replaced
through the storage API, and the track's checksum and size follow it."""

import hashlib
from decimal import Decimal
from pathlib import Path

import mutagen
import pytest
from django_q.conf import Conf

from music.covers import cover_from_bytes, track_cover_set
from music.models import Track
from music.services import track_import_file
from music.tag_services import track_write_tags
from music.tags import read_tags
from music.tasks import write_track_tags
from tests.music.audio import encode
from tests.music.conftest import stored_files
from tests.music.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(tmp_path):
    song = encode(tmp_path / "song.mp3", seconds=2, title="valerie_final_v2", TBPM="100", TKEY="Fm")
    track, _ = track_import_file(song)
    Track.objects.filter(pk=track.pk).update(
        title="Valerie",
        artist="Amy Winehouse",
        album="Back to Black",
        genre="Soul",
        year=2006,
        comment="Encore",
        bpm=Decimal("104.50"),
        key="D minor",
    )  # the DJ's corrections and what analysis measured
    return Track.objects.get(pk=track.pk)


def in_file(track: Track):
    track.refresh_from_db()
    with track.audio.open("rb") as stored:
        data = stored.read()
    assert hashlib.sha256(data).hexdigest() == track.file_sha256 and len(data) == track.file_size
    return read_tags(Path(track.audio.path))


def test_catalogue_fields_are_written_and_bpm_key_left_alone(track, media_root, django_capture_on_commit_callbacks):
    old_name = track.audio.name
    with django_capture_on_commit_callbacks(execute=True):
        track_write_tags(track=track)
    tags = in_file(track)
    assert (tags.title, tags.artist, tags.album, tags.genre) == ("Valerie", "Amy Winehouse", "Back to Black", "Soul")
    assert (tags.year, tags.comment) == (2006, "Encore")
    assert (tags.bpm, tags.key) == (Decimal("100.00"), "F minor")  # the file's own ("Fm"), not the analysis
    assert track.audio.name != old_name
    assert [path.name for path in stored_files(media_root)] == [track.audio.name.rsplit("/", 1)[1]]


def test_analysed_bpm_and_key_are_written_only_on_request(track, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        track_write_tags(track=track, include_analysis=True)
    tags = in_file(track)
    assert (tags.bpm, tags.key) == (Decimal("104.50"), "D minor")
    assert mutagen.File(track.audio.path).tags["TKEY"].text == ["Dm"]


def test_the_track_cover_is_embedded(track):
    track_cover_set(track=track, cover=cover_from_bytes(image_bytes(500, 500, "WEBP")))
    track.save()
    track_write_tags(track=track)
    in_file(track)
    (picture,) = mutagen.File(track.audio.path).tags.getall("APIC")
    assert (picture.mime, picture.type) == ("image/jpeg", 3)  # WebP re-encoded: every tag format takes JPEG


def test_writing_again_changes_nothing(track, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = write_track_tags(str(track.pk))
    track.refresh_from_db()
    name, updated = track.audio.name, track.updated_at
    assert write_track_tags(str(track.pk)) == first
    track.refresh_from_db()
    assert (track.audio.name, track.updated_at) == (name, updated)
    assert write_track_tags("00000000-0000-0000-0000-000000000000") is None


def test_staff_write_tags_through_the_api(track, staff_dj, api_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_for(staff_dj).post(f"/api/v1/tracks/{track.pk}/write-tags/", {"include_analysis": True}, "json")
    assert answer.status_code == 200
    tags = in_file(track)
    assert (tags.title, tags.key) == ("Valerie", "D minor")
    assert answer.json()["file_size"] == track.file_size


def test_clients_cannot_write_tags(track, client_a, api_for):
    answer = api_for(client_a.user).post(f"/api/v1/tracks/{track.pk}/write-tags/", {}, "json")
    assert answer.status_code in (403, 404)
    assert in_file(track).title == "valerie_final_v2"


def test_the_admin_action_writes_tags_in_the_background(
    track, client, staff_dj, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)  # q2 tasks run inline, when the action commits
    client.force_login(staff_dj)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/admin/music/track/",
            {"action": "write_tags_with_analysis", "_selected_action": [str(track.pk)]},
            follow=True,
        )
    assert "Writing tags to 1 file in the background." in answer.content.decode()
    assert (in_file(track).title, in_file(track).key) == ("Valerie", "D minor")


def test_a_missing_file_is_refused_with_a_reason(tmp_path, staff_dj, api_for):
    track, _ = track_import_file(encode(tmp_path / "song.flac"))
    track.audio.storage.delete(track.audio.name)
    answer = api_for(staff_dj).post(f"/api/v1/tracks/{track.pk}/write-tags/", {}, "json")
    assert answer.status_code == 400
    assert "missing from storage" in answer.json()["detail"]


def test_a_cover_gone_from_storage_does_not_stop_the_tags(track, caplog):
    track_cover_set(track=track, cover=cover_from_bytes(image_bytes(300, 300)))
    track.save()
    track.cover_art.storage.delete(track.cover_art.name)
    track_write_tags(track=track)
    assert in_file(track).title == "Valerie"
    assert "cover not embedded" in [record.getMessage() for record in caplog.records]
