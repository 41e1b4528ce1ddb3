"""/api/v1/tracks/: staff list, search, filter, upload (several files at once), edit and delete the library;
clients and anonymous callers cannot."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from music.models import Track
from tests.factories import TrackFactory
from tests.music.conftest import stored_files

pytestmark = pytest.mark.django_db

URL = "/api/v1/tracks/"


def titles(answer) -> list[str]:
    return [track["title"] for track in answer.json()["results"]]


def test_staff_search_and_filter_the_library(staff_dj, api_for):
    TrackFactory(title="Halo", artist="Beyoncé", bpm=Decimal("80"), camelot="4A", genre="Pop", energy=40)
    TrackFactory(title="Crazy in Love", artist="Beyoncé", bpm=Decimal("99"), camelot="4B", genre="Pop", energy=85)
    TrackFactory(title="September", artist="Earth, Wind & Fire", bpm=Decimal("126"), camelot="5A", genre="Disco")
    api = api_for(staff_dj)
    assert titles(api.get(URL, {"q": "beyonce", "ordering": "title"})) == ["Crazy in Love", "Halo"]
    assert titles(api.get(URL, {"bpm_min": 95, "bpm_max": 130, "ordering": "bpm"})) == ["Crazy in Love", "September"]
    assert titles(api.get(URL, {"camelot": "4a"})) == ["Halo"]
    assert titles(api.get(URL, {"genre": "disco"})) == ["September"]
    assert titles(api.get(URL, {"energy_min": 50})) == ["Crazy in Love"]


def test_staff_find_the_tracks_in_compatible_keys(staff_dj, api_for):
    for title, code in [("Same", "8A"), ("Down", "7A"), ("Up", "9A"), ("Relative", "8B"), ("Far", "3B"), ("None", "")]:
        TrackFactory(title=title, camelot=code)
    api = api_for(staff_dj)
    found = titles(api.get(URL, {"camelot_compatible": "8a", "ordering": "title"}))
    assert found == ["Down", "Relative", "Same", "Up"]
    assert titles(api.get(URL, {"camelot_compatible": "not a key"})) == []


def test_staff_upload_several_files_and_each_gets_an_answer(staff_dj, api_for, make_audio, tmp_path, media_root):
    good = make_audio(tmp_path / "valerie.mp3", title="Valerie", artist="Amy Winehouse")
    files = [
        SimpleUploadedFile("valerie.mp3", good.read_bytes(), content_type="audio/mpeg"),
        SimpleUploadedFile("notes.mp3", b"not a song\n" * 100, content_type="audio/mpeg"),
    ]
    api = api_for(staff_dj)

    answer = api.post(URL, {"file": files}, format="multipart")

    assert answer.status_code == 201
    first, second = answer.json()["results"]
    assert (first["file"], first["created"], first["track"]["title"], first["track"]["source"]) == (
        "valerie.mp3",
        True,
        "Valerie",
        "upload",
    )
    assert first["track"]["audio_url"].startswith("/media/tracks/")
    assert second == {"file": "notes.mp3", "error": "notes.mp3 is not an audio file that can be read."}
    assert len(stored_files(media_root)) == 1

    again = api.post(URL, {"file": [SimpleUploadedFile("copy.mp3", good.read_bytes())]}, format="multipart")
    assert (again.status_code, again.json()["results"][0]["created"]) == (200, False)
    nothing = api.post(URL, {"file": [SimpleUploadedFile("a.mp3", b"la la\n" * 50)]}, format="multipart")
    assert (nothing.status_code, nothing.json()["results"][0]["file"]) == (400, "a.mp3")
    empty = api.post(URL, {"file": [SimpleUploadedFile("empty.mp3", b"")]}, format="multipart")
    assert (empty.status_code, "file" in empty.json()) == (400, True)
    missing = api.post(URL, {}, format="multipart")
    assert (missing.status_code, "file" in missing.json()) == (400, True)
    assert Track.objects.count() == 1


def test_staff_edit_the_tags_and_search_follows(staff_dj, api_for):
    track = TrackFactory(title="Untitled 3", artist="")
    api = api_for(staff_dj)
    answer = api.patch(
        f"{URL}{track.pk}/", {"title": "Get Lucky", "artist": "Daft Punk", "bpm": "116.00"}, format="json"
    )
    assert answer.status_code == 200
    assert titles(api.get(URL, {"q": "daft lucky"})) == ["Get Lucky"]
    refused = api.patch(f"{URL}{track.pk}/", {"energy": 150}, format="json")
    assert (refused.status_code, "energy" in refused.json()) == (400, True)


def test_deleting_a_track_removes_its_file(
    staff_dj, api_for, make_audio, tmp_path, media_root, django_capture_on_commit_callbacks
):
    api = api_for(staff_dj)
    audio = make_audio(tmp_path / "x.mp3", title="Gone")
    track_id = api.post(URL, {"file": [SimpleUploadedFile("x.mp3", audio.read_bytes())]}, format="multipart").json()[
        "results"
    ][0]["track"]["id"]
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{URL}{track_id}/").status_code == 204
    assert not Track.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("who", ["client_a", "anonymous"])
def test_clients_and_anonymous_callers_cannot_use_the_library(who, api_for, request):
    user = None if who == "anonymous" else request.getfixturevalue(who).user
    track = TrackFactory()
    api = api_for(user)
    answers = [api.get(URL), api.get(f"{URL}{track.pk}/"), api.delete(f"{URL}{track.pk}/")]
    assert [answer.status_code for answer in answers] == [401 if who == "anonymous" else 403] * 3
    assert Track.objects.exists()
