"""music.tags reads and writes ID3 (MP3, WAV, AIFF), MP4 (m4a) and Vorbis (FLAC, Ogg Vorbis, Opus) tags, the key
where DJ software looks for it, and the front cover; what it writes, mutagen and ffprobe read back."""

import base64
from decimal import Decimal

import mutagen
import pytest
from mutagen.flac import Picture

from music.errors import MusicError, NotAudio
from music.tags import EmbeddedImage, read_tags, write_tags
from tests.music.audio import encode, ffprobe_tags
from tests.music.images import image_bytes

FORMATS = ["mp3", "m4a", "flac", "ogg", "opus"]
TAGS = {
    "title": "Pájaros de Barro",
    "artist": "Manolo García",
    "album": "Arena en los bolsillos",
    "genre": "Pop",
    "year": 1998,
    "comment": "Last dance",
    "bpm": Decimal("127.50"),
    "key": "A minor",
}
# Where each format keeps the key, the BPM and the cover, as mutagen shows them.
RAW_KEY = {"mp3": "TKEY", "m4a": "----:com.apple.iTunes:initialkey", "flac": "initialkey", "ogg": "initialkey"}
RAW_KEY["opus"] = "initialkey"


def raw_key(audio, extension: str) -> str:
    value = audio.tags[RAW_KEY[extension]]
    value = value.text[0] if extension == "mp3" else value[0]
    return value.decode() if isinstance(value, bytes) else str(value)


def raw_cover(audio, extension: str) -> bytes:
    if extension == "mp3":
        (picture,) = audio.tags.getall("APIC")
        assert picture.type == 3  # front cover
        return picture.data
    if extension == "m4a":
        return bytes(audio.tags["covr"][0])
    if extension == "flac":
        (picture,) = audio.pictures
        assert picture.type == 3
        return picture.data
    picture = Picture(base64.b64decode(audio.tags["metadata_block_picture"][0]))
    assert picture.type == 3
    return picture.data


@pytest.mark.parametrize("extension", FORMATS)
def test_written_tags_and_cover_are_read_back_by_mutagen_and_ffprobe(tmp_path, extension):
    song = encode(tmp_path / f"song.{extension}", title="Old title", artist="Old artist")
    cover = image_bytes(300, 300)

    write_tags(song, TAGS, cover=EmbeddedImage(cover, "image/jpeg", 300, 300))

    ours = read_tags(song)
    assert (ours.title, ours.artist, ours.album, ours.genre) == (TAGS["title"], TAGS["artist"], TAGS["album"], "Pop")
    assert (ours.year, ours.comment, ours.key) == (1998, "Last dance", "A minor")
    assert ours.bpm == (Decimal("128.00") if extension == "m4a" else Decimal("127.50"))  # MP4's tmpo is whole
    assert ours.cover.data == cover
    audio = mutagen.File(song)
    assert raw_key(audio, extension) == "Am"  # as ID3 specifies TKEY, which DJ software reads everywhere
    assert raw_cover(audio, extension) == cover
    probed, streams = ffprobe_tags(song)
    assert (probed["title"], probed["artist"], probed["album"]) == (TAGS["title"], TAGS["artist"], TAGS["album"])
    assert (probed["genre"], probed["date"], probed["comment"]) == ("Pop", "1998", "Last dance")
    assert probed.get("tkey", probed.get("initialkey")) == "Am"
    if extension != "m4a":  # ffprobe does not show MP4's tmpo
        assert probed.get("tbpm", probed.get("bpm")) == "127.5"
    assert [stream["codec_name"] for stream in streams if stream["codec_type"] == "video"] == ["mjpeg"]


@pytest.mark.parametrize("extension", ["wav", "aiff"])
def test_wav_and_aiff_take_id3_tags(tmp_path, extension):
    song = encode(tmp_path / f"song.{extension}")
    write_tags(song, {"title": "Intro", "key": "C major", "bpm": 90})
    ours = read_tags(song)
    assert (ours.title, ours.key, ours.bpm) == ("Intro", "C major", Decimal("90.00"))
    assert mutagen.File(song).tags["TKEY"].text == ["C"]


@pytest.mark.parametrize("extension", FORMATS)
def test_tags_not_named_stay_and_empty_values_remove_a_tag(tmp_path, extension):
    song = encode(tmp_path / f"song.{extension}")
    write_tags(song, TAGS)
    write_tags(song, {"title": "New title", "genre": "", "comment": None})
    ours = read_tags(song)
    assert (ours.title, ours.artist, ours.genre, ours.comment) == ("New title", TAGS["artist"], "", "")
    assert ours.key == "A minor"


@pytest.mark.parametrize(
    ("extension", "bitrate", "rate"), [("mp3", 64, 44100), ("flac", None, 44100), ("opus", None, 48000)]
)
def test_stream_info_is_read(tmp_path, extension, bitrate, rate):
    info = read_tags(encode(tmp_path / f"song.{extension}", seconds=2))
    assert info.sample_rate_hz == rate
    assert info.bitrate_kbps > 0 and (bitrate is None or info.bitrate_kbps == bitrate)
    assert info.duration_ms == pytest.approx(2000, abs=60)


def test_a_cover_attached_by_ffmpeg_is_found(tmp_path):
    picture = tmp_path / "cover.png"
    picture.write_bytes(image_bytes(200, 100, "PNG"))
    found = read_tags(encode(tmp_path / "song.mp3", cover=picture)).cover
    assert (found.data, found.mime) == (picture.read_bytes(), "image/png")


def test_a_file_that_is_not_audio_is_refused(tmp_path):
    notes = tmp_path / "notes.mp3"
    notes.write_text("not a song\n" * 100)
    with pytest.raises(NotAudio, match=r"notes\.mp3 is not an audio file"):
        write_tags(notes, {"title": "x"})


def test_an_mp4_cover_must_be_jpeg_or_png(tmp_path):
    song = encode(tmp_path / "song.m4a")
    with pytest.raises(MusicError, match="JPEG or PNG"):
        write_tags(song, {}, cover=EmbeddedImage(image_bytes(50, 50, "WEBP"), "image/webp"))


@pytest.mark.parametrize(
    ("ours", "in_file", "read_back"),
    [("A minor", "Am", "A minor"), ("E♭ major", "Eb", "Eb major"), ("C# minor", "C#m", "C# minor"), ("8A", "8A", "8A")],
)
def test_keys_are_written_as_tkey_wants_them_and_read_back_spelt_out(tmp_path, ours, in_file, read_back):
    song = encode(tmp_path / "song.flac")
    write_tags(song, {"key": ours})
    assert mutagen.File(song).tags["INITIALKEY"] == [in_file]
    assert read_tags(song).key == read_back
