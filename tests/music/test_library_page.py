"""/library/: staff search, filter and sort the library, page through it, play tracks and act on the ticked ones.
Clients and strangers see nothing."""

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from django_q.conf import Conf

from music.models import Track
from music.services import track_import_file
from music.tags import read_tags
from tests.factories import TrackFactory
from tests.music.audio import RATE, chords, write_wav
from tests.music.conftest import stored_files

pytestmark = pytest.mark.django_db

URL = "/library/"


@pytest.fixture
def staff(client, staff_dj):
    client.force_login(staff_dj)
    return client


@pytest.fixture
def inline_tasks(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)  # q2 tasks run inline, when the request commits


def shown(response) -> list[str]:
    return re.findall(r'<td class="tracks__title">([^<]*)</td>', response.content.decode())


def song(path, hz=220.0, seconds=12):
    music = chords([["A", "C", "E"], ["G", "B", "D"]] * int(seconds / 4), 2.0, 0.05)
    return write_wav(path, music + 0.05 * np.sin(2 * np.pi * hz * np.arange(music.size) / RATE))


def test_only_staff_see_the_library(client, client_a, owner):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(client_a.user)
    assert client.get(URL).status_code == 404
    assert client.post("/library/bulk/", {"action": "delete"}).status_code == 404
    client.force_login(owner)
    assert client.get(URL).status_code == 200


def test_search_and_filters_narrow_the_list(staff):
    TrackFactory(title="Halo", artist="Beyoncé", bpm=Decimal("80"), camelot="4A", genre="Pop", energy=40)
    TrackFactory(title="Crazy in Love", artist="Beyoncé", bpm=Decimal("99"), camelot="4B", genre="Pop", energy=85)
    TrackFactory(title="September", artist="Earth, Wind & Fire", bpm=Decimal("126"), camelot="5A", genre="Disco")
    TrackFactory(title="Levels", artist="Avicii", bpm=Decimal("126"), camelot="1A", genre="House", energy=90)
    assert shown(staff.get(URL, {"q": "beyonce", "sort": "title"})) == ["Crazy in Love", "Halo"]
    assert shown(staff.get(URL, {"bpm_min": 95, "bpm_max": 126, "sort": "bpm"})) == [
        "Crazy in Love",
        "Levels",
        "September",
    ]
    assert shown(staff.get(URL, {"camelot": "4A"})) == ["Halo"]
    compatible = staff.get(URL, {"camelot": "4A", "compatible": "on", "sort": "title"})
    assert shown(compatible) == ["Crazy in Love", "Halo", "September"]  # 4A, its relative 4B, its neighbour 5A
    assert shown(staff.get(URL, {"energy_min": 80, "energy_max": 88})) == ["Crazy in Love"]
    assert shown(staff.get(URL, {"genre": "Disco"})) == ["September"]
    page = staff.get(URL, {"genre": "Disco"}).content.decode()
    assert '<option value="House">House</option>' in page and "1 track match" in page


def test_a_value_that_makes_no_sense_is_reported_and_the_rest_still_apply(staff):
    TrackFactory(title="Slow", bpm=Decimal("70"))
    TrackFactory(title="Fast", bpm=Decimal("174"))
    answer = staff.get(URL, {"bpm_min": "fast", "bpm_max": "100"})
    assert shown(answer) == ["Slow"]
    assert "BPM from: Enter a number." in answer.content.decode()


def test_columns_sort_both_ways_and_keys_sort_round_the_wheel(staff):
    for title, bpm, code in [("A", "128", "10A"), ("B", "90", "2B"), ("C", None, ""), ("D", "120", "2A")]:
        TrackFactory(title=title, bpm=bpm and Decimal(bpm), camelot=code)
    assert shown(staff.get(URL, {"sort": "bpm"})) == ["B", "D", "A", "C"]  # no BPM last
    assert shown(staff.get(URL, {"sort": "-bpm"})) == ["A", "D", "B", "C"]
    assert shown(staff.get(URL, {"sort": "key"})) == ["D", "B", "A", "C"]
    assert shown(staff.get(URL, {"sort": "-key"})) == ["A", "B", "D", "C"]
    page = staff.get(URL, {"sort": "bpm", "genre": ""}).content.decode()
    assert 'aria-sort="ascending"><a href="?sort=-bpm' in page


def test_a_large_library_is_paged_and_filters_stay_with_the_pages(staff):
    Track.objects.bulk_create(
        Track(title=f"Song {n:03}", genre="House", search_text=f"song {n:03}") for n in range(120)
    )
    TrackFactory(title="Other", genre="Pop")
    first = staff.get(URL, {"genre": "House", "sort": "title"})
    assert len(shown(first)) == 50 and shown(first)[0] == "Song 000"
    assert "Page 1 of 3" in first.content.decode()
    assert 'href="?genre=House&amp;sort=title&amp;page=2"' in first.content.decode()
    last = staff.get(URL, {"genre": "House", "sort": "title", "page": 3})
    assert shown(last) == [f"Song {n:03}" for n in range(100, 120)]


def test_the_player_gets_each_track_with_byte_ranges(staff, client_a, tmp_path):
    track, _ = track_import_file(song(tmp_path / "song.wav"))
    page = staff.get(URL).content.decode()
    assert f'data-src="/library/tracks/{track.pk}/audio/"' in page
    audio_url = f"/library/tracks/{track.pk}/audio/"
    whole = staff.get(audio_url)
    data = b"".join(whole.streaming_content)
    assert (whole.status_code, whole["Content-Type"], whole["Accept-Ranges"]) == (200, "audio/wav", "bytes")
    assert data == (tmp_path / "song.wav").read_bytes()
    part = staff.get(audio_url, headers={"Range": "bytes=100-199"})
    assert (part.status_code, part["Content-Range"], part["Content-Length"]) == (
        206,
        f"bytes 100-199/{len(data)}",
        "100",
    )
    assert b"".join(part.streaming_content) == data[100:200]
    end = staff.get(audio_url, headers={"Range": "bytes=-10"})
    assert b"".join(end.streaming_content) == data[-10:]
    assert staff.get(audio_url, headers={"Range": f"bytes={len(data)}-"}).status_code == 416
    assert staff.get(f"/library/tracks/{track.pk}/normalized/").status_code == 404  # not made yet
    outsider = Client()
    outsider.force_login(client_a.user)
    assert outsider.get(audio_url).status_code == 404


def test_bulk_analyse_and_normalize_run_as_tasks(staff, tmp_path, inline_tasks, django_capture_on_commit_callbacks):
    track, _ = track_import_file(song(tmp_path / "song.wav"))
    Track.objects.filter(pk=track.pk).update(analysis_status="failed", analysis_error="was broken")
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(
            "/library/bulk/", {"action": "analyse", "tracks": [track.pk], "back": "q=song"}, follow=True
        )
    assert answer.redirect_chain == [("/library/?q=song", 302)]
    assert "1 track queued for analysis." in answer.content.decode()
    track.refresh_from_db()
    assert (track.analysis_status, track.analysis_error) == ("done", "")

    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post("/library/bulk/", {"action": "normalize", "tracks": [track.pk]}, follow=True)
    assert "1 track queued for normalizing to -14 LUFS." in answer.content.decode()
    track.refresh_from_db()
    assert track.normalized_audio and track.replaygain_db is not None
    normalized = staff.get(f"/library/tracks/{track.pk}/normalized/")
    assert normalized.status_code == 200 and normalized["Content-Type"] == "audio/wav"
    assert f"/library/tracks/{track.pk}/normalized/" in staff.get(URL).content.decode()


def test_bulk_write_tags_puts_the_catalogue_into_the_files(
    staff, tmp_path, inline_tasks, django_capture_on_commit_callbacks
):
    track, _ = track_import_file(song(tmp_path / "song.wav"))
    Track.objects.filter(pk=track.pk).update(title="Golden Hour", artist="JVKE", bpm=Decimal("94.00"))
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post("/library/bulk/", {"action": "write_tags", "tracks": [track.pk]}, follow=True)
    assert "Writing tags to 1 file in the background." in answer.content.decode()
    track.refresh_from_db()
    tags = read_tags(Path(track.audio.path))
    assert (tags.title, tags.artist, tags.bpm) == ("Golden Hour", "JVKE", None)  # analysis only when asked


def test_bulk_delete_removes_the_tracks_and_their_files(
    staff, tmp_path, media_root, django_capture_on_commit_callbacks
):
    doomed, _ = track_import_file(song(tmp_path / "a.wav", 220))
    kept, _ = track_import_file(song(tmp_path / "b.wav", 330))
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post("/library/bulk/", {"action": "delete", "tracks": [doomed.pk]}, follow=True)
    assert "Deleted 1 track and its files." in answer.content.decode()
    assert list(Track.objects.all()) == [kept]
    assert stored_files(media_root) == [media_root / kept.audio.name]


def test_bulk_actions_need_ticked_tracks_and_a_csrf_token(staff_dj, staff):
    answer = staff.post("/library/bulk/", {"action": "analyse"}, follow=True)
    assert "Tick the tracks first." in answer.content.decode()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff_dj)
    track = TrackFactory()
    assert strict.post("/library/bulk/", {"action": "delete", "tracks": [track.pk]}).status_code == 403
    assert Track.objects.filter(pk=track.pk).exists()


def test_a_crossfade_preview_of_two_ticked_tracks(staff, tmp_path, inline_tasks, django_capture_on_commit_callbacks):
    first, _ = track_import_file(song(tmp_path / "a.wav", 220, seconds=20))
    second, _ = track_import_file(song(tmp_path / "b.wav", 330, seconds=20))
    preview_url = f"/library/crossfade/{first.pk}/{second.pk}/?seconds=6"
    assert staff.get(preview_url).status_code == 404  # not made yet
    form = {"action": "crossfade", "tracks": [first.pk, second.pk], "seconds": "6", "back": "genre="}
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post("/library/bulk/", form)
    assert answer.status_code == 302
    assert answer["Location"] == f"/library/?genre=&xa={first.pk}&xb={second.pk}&xs=6"
    page = staff.get(answer["Location"]).content.decode()
    assert 'id="crossfade"' in page and f'data-src="{preview_url.replace("&", "&amp;")}"' in page
    preview = staff.get(preview_url)
    assert (preview.status_code, preview["Content-Type"]) == (200, "audio/mpeg")
    assert b"".join(preview.streaming_content)[:3] in {b"ID3", b"\xff\xfb"}


def test_a_crossfade_needs_two_tracks_and_a_sensible_overlap(staff):
    one, two, three = TrackFactory(), TrackFactory(), TrackFactory()
    answer = staff.post("/library/bulk/", {"action": "crossfade", "tracks": [one.pk]}, follow=True)
    assert "Tick exactly two tracks" in answer.content.decode()
    answer = staff.post("/library/bulk/", {"action": "crossfade", "tracks": [one.pk, two.pk, three.pk]}, follow=True)
    assert "Tick exactly two tracks" in answer.content.decode()
    answer = staff.post(
        "/library/bulk/", {"action": "crossfade", "tracks": [one.pk, two.pk], "seconds": 40}, follow=True
    )
    assert "The crossfade must last 1 to 16 seconds." in answer.content.decode()
