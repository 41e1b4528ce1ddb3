"""On import a file's embedded cover becomes the track's cover art, with a 600 px and a 96 px WebP thumbnail; a
damaged, oversized or unusable image is skipped with a log line and the audio is imported all the same."""

import logging

import pytest

from music.covers import CoverError, cover_from_bytes
from music.services import track_delete, track_import_file
from music.tags import EmbeddedImage, write_tags
from tests.music.audio import encode
from tests.music.conftest import stored_files
from tests.music.images import image_bytes, size_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("extension", ["mp3", "m4a", "flac", "ogg", "opus"])
def test_the_embedded_cover_and_its_thumbnails_are_stored(tmp_path, extension):
    song = encode(tmp_path / f"song.{extension}", seconds=2, title="Cover me")
    cover = image_bytes(1000, 800)
    write_tags(song, {}, cover=EmbeddedImage(cover, "image/jpeg", 1000, 800))

    track, _ = track_import_file(song)

    assert track.cover_art.read() == cover
    assert size_of(track.cover_thumbnail.read()) == ("WEBP", (600, 480))
    assert size_of(track.cover_small.read()) == ("WEBP", (96, 77))
    assert (track.bitrate_kbps > 0, track.sample_rate_hz) == (True, 48000 if extension == "opus" else 44100)


def test_a_cover_attached_by_ffmpeg_is_taken_and_small_ones_are_not_enlarged(tmp_path):
    picture = tmp_path / "cover.png"
    picture.write_bytes(image_bytes(80, 80, "PNG"))
    track, _ = track_import_file(encode(tmp_path / "song.mp3", cover=picture))
    assert track.cover_art.name.endswith(".png")
    assert size_of(track.cover_thumbnail.read())[1] == size_of(track.cover_small.read())[1] == (80, 80)


def test_a_damaged_cover_is_skipped_and_the_audio_imported(tmp_path, caplog, media_root):
    song = encode(tmp_path / "song.flac", title="Broken cover")
    write_tags(song, {}, cover=EmbeddedImage(image_bytes(400, 400)[:600], "image/jpeg"))  # cut short

    with caplog.at_level(logging.WARNING, logger="music.services"):
        track, created = track_import_file(song)

    assert (created, track.title) == (True, "Broken cover")
    assert not track.cover_art and not track.cover_thumbnail and not track.cover_small
    assert [record.getMessage() for record in caplog.records] == ["embedded cover skipped"]
    assert "damaged" in caplog.records[0].reason
    assert len(stored_files(media_root)) == 1  # the audio only


def test_deleting_a_track_removes_its_cover_files(tmp_path, media_root, django_capture_on_commit_callbacks):
    song = encode(tmp_path / "song.mp3")
    write_tags(song, {}, cover=EmbeddedImage(image_bytes(700, 700), "image/jpeg"))
    track, _ = track_import_file(song)
    assert len(stored_files(media_root)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        track_delete(track)
    assert stored_files(media_root) == []


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = image_bytes(9000, 9000, "PNG", colour=(0, 0, 0))  # 81 megapixels in a few hundred kB
    assert len(bomb) < 2_000_000
    with pytest.raises(CoverError, match="too large"):
        cover_from_bytes(bomb)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
        (image_bytes(40, 40, "BMP"), "must be JPEG, PNG, WebP or GIF, not BMP"),
        (image_bytes(40, 40, "TIFF"), "not TIFF"),
    ],
)
def test_other_files_are_not_covers(data, reason):
    with pytest.raises(CoverError, match=reason):
        cover_from_bytes(data)


def test_a_cover_over_the_byte_limit_is_refused(settings):
    settings.MUSIC_COVER_MAX_BYTES = 1000
    with pytest.raises(CoverError, match="larger than"):
        cover_from_bytes(image_bytes(400, 400))
