"""Staff upload several audio files at once in the admin; each gets a message, bad ones say why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from music.models import Track
from tests.music.conftest import stored_files

pytestmark = pytest.mark.django_db


def test_staff_upload_audio_in_the_admin(client, staff_dj, make_audio, tmp_path, media_root):
    client.force_login(staff_dj)
    assert "Upload audio files" in client.get("/admin/music/track/").content.decode()
    assert client.get("/admin/music/track/upload/").status_code == 200
    song = make_audio(tmp_path / "valerie.mp3", title="Valerie", artist="Amy Winehouse")
    files = [SimpleUploadedFile("valerie.mp3", song.read_bytes()), SimpleUploadedFile("notes.mp3", b"la\n" * 99)]

    answer = client.post("/admin/music/track/upload/", {"files": files}, follow=True)

    page = answer.content.decode()
    assert "Added valerie.mp3 to the library as “Valerie — Amy Winehouse”." in page
    assert "Not added: notes.mp3 is not an audio file that can be read." in page
    assert list(Track.objects.values_list("title", flat=True)) == ["Valerie"]
    assert len(stored_files(media_root)) == 1


def test_clients_cannot_reach_the_upload(client, client_a):
    client.force_login(client_a.user)
    assert client.get("/admin/music/track/upload/").status_code == 302  # to the admin login
