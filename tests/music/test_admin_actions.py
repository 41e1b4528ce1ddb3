"""Admin actions on tracks: analyse again and make normalized copies (q2 tasks once the request commits)."""

import pytest
from django_q.conf import Conf

from music.models import Track
from music.services import track_import_file
from tests.music.audio import chords, write_wav

pytestmark = pytest.mark.django_db


def test_staff_analyse_again_and_normalize_from_the_admin(
    client, staff_dj, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)
    track, _ = track_import_file(write_wav(tmp_path / "song.wav", chords([["A", "C", "E"]] * 4, 2.0, 0.05)))
    Track.objects.filter(pk=track.pk).update(analysis_status="failed", analysis_error="was broken")
    client.force_login(staff_dj)
    for action, message in [("analyse_again", "1 track queued for analysis."), ("normalize", "1 track queued for")]:
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post("/admin/music/track/", {"action": action, "_selected_action": [track.pk]}, follow=True)
        assert message in answer.content.decode()
    track.refresh_from_db()
    assert (track.analysis_status, track.analysis_error) == ("done", "")
    assert track.normalized_audio and track.normalized_target_lufs == -14
    page = client.get(f"/admin/music/track/{track.pk}/change/").content.decode()
    assert track.normalized_audio.name in page and "ReplayGain" in page
