"""manage.py import_music DIR and the service behind it: audio files described from their tags and stored once;
bad files refused with a clear line, leaving nothing behind."""

import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from djbiz.progress import progress_bar
from music.errors import MusicError, NotAudio
from music.models import Track
from music.services import track_import_file
from tests.music.conftest import stored_files

pytestmark = pytest.mark.django_db


def import_music(directory) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_music", str(directory), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_folder_is_imported_with_its_tags_and_a_second_run_stores_nothing(tmp_path, make_audio, media_root):
    music = tmp_path / "music"
    tags = {"title": "September", "artist": "Earth, Wind & Fire", "album": "Best Of", "genre": "Disco"}
    make_audio(music / "Disco" / "01.mp3", date="1978", TBPM="126", TKEY="5A", **tags)
    make_audio(music / "Soul" / "at_last.flac", seconds=2, title="At Last", artist="Etta James", date="1960-11-15")
    make_audio(music / "untagged_song.ogg")
    (music / "cover.jpg").write_bytes(b"not a song")  # not an audio extension: not the library's

    out, err = import_music(music)

    assert err == ""
    assert out.splitlines()[-1] == "3 audio files: 3 imported, 0 already in the library, 0 failed."
    assert "[1/3] Disco/01.mp3: imported: September — Earth, Wind & Fire" in out
    september = Track.objects.get(title="September")
    assert (september.artist, september.album, september.genre, september.year) == (
        "Earth, Wind & Fire",
        "Best Of",
        "Disco",
        1978,
    )
    assert (september.bpm, september.key, september.file_format, september.source) == (
        Decimal("126.00"),
        "5A",
        "mp3",
        "import",
    )
    at_last = Track.objects.get(title="At Last")
    assert (at_last.year, at_last.file_format) == (1960, "flac")
    assert 1900 <= at_last.duration_ms <= 2100
    assert Track.objects.get(file_format="ogg").title == "untagged song"  # named after the file
    assert len(stored_files(media_root)) == 3
    assert at_last.audio.open("rb").read() == (music / "Soul" / "at_last.flac").read_bytes()

    again, _ = import_music(music)

    assert again.splitlines()[-1] == "3 audio files: 0 imported, 3 already in the library, 0 failed."
    assert Track.objects.count() == 3
    assert len(stored_files(media_root)) == 3


def test_the_same_file_elsewhere_is_found_not_stored_twice(tmp_path, make_audio):
    first = make_audio(tmp_path / "a" / "song.mp3", title="Valerie")
    copy = tmp_path / "b" / "renamed.mp3"
    copy.parent.mkdir()
    copy.write_bytes(first.read_bytes())
    track, created = track_import_file(first)
    assert created
    assert track_import_file(copy) == (track, False)


def test_bad_files_get_a_line_each_and_leave_nothing_behind(tmp_path, make_audio, media_root, settings):
    music = tmp_path / "music"
    make_audio(music / "good.mp3", title="Good")
    (music / "empty.mp3").write_bytes(b"")
    (music / "corrupted.flac").write_bytes(b"fLaC" + bytes(range(256)) * 8)
    (music / "notes.mp3").write_text("this is a text file\n" * 50)
    settings.MUSIC_MAX_FILE_BYTES = 200_000
    make_audio(music / "long.wav", seconds=5)  # about 430 kB of PCM

    with pytest.raises(CommandError, match=r"^4 of 5 files could not be imported \(see above\)\.$"):
        import_music(music)

    assert list(Track.objects.values_list("title", flat=True)) == ["Good"]
    assert len(stored_files(media_root)) == 1


def test_each_refusal_says_why(tmp_path, make_audio, settings):
    (tmp_path / "empty.mp3").write_bytes(b"")
    with pytest.raises(MusicError, match=r"empty\.mp3 is empty\."):
        track_import_file(tmp_path / "empty.mp3")
    (tmp_path / "notes.mp3").write_text("la la la\n" * 100)
    with pytest.raises(NotAudio, match=r"notes\.mp3 is not an audio file that can be read"):
        track_import_file(tmp_path / "notes.mp3")
    settings.MUSIC_MAX_FILE_BYTES = 1024 * 1024
    big = make_audio(tmp_path / "big.wav", seconds=12)
    with pytest.raises(MusicError, match=r"big\.wav is larger than 1 MB\."):
        track_import_file(big)


def test_a_missing_folder_is_one_readable_line_and_a_non_zero_exit(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "import_music", str(tmp_path / "nowhere")], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == f"CommandError: {tmp_path / 'nowhere'} is not a folder."


def test_a_progress_bar_is_drawn_on_request_and_cleared_at_the_end(tmp_path, make_audio):
    make_audio(tmp_path / "a.mp3", title="One")
    make_audio(tmp_path / "b.mp3", title="Two", frequency=550)
    out = StringIO()
    call_command("import_music", str(tmp_path), "--progress", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "[###############---------------] 1/2  50%" in text
    assert "[##############################] 2/2 100%" in text
    assert text.endswith("\r\033[K2 audio files: 2 imported, 0 already in the library, 0 failed.\n")
    assert "[#" not in import_music(tmp_path)[0]  # not a terminal: no bar


def test_the_bar_shows_how_far_a_run_has_come():
    assert progress_bar(0, 4, width=8) == "[--------] 0/4   0%"
    assert progress_bar(3, 4, width=8) == "[######--] 3/4  75%"
    assert progress_bar(0, 0, width=4) == "[####] 0/0 100%"
