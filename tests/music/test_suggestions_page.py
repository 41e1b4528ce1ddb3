"""/library/tracks/<id>/suggestions/: staff see what enrichment proposes beside what the track has, and accept it
field by field, all at once, or reject it; a track with nothing waiting can be looked up. Staff only."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django_q.conf import Conf

from music.models import Track, TrackSuggestion
from music.services import track_delete, track_import_file
from music.tags import read_tags
from tests.factories import TrackFactory
from tests.music.audio import encode
from tests.music.conftest import stored_files
from tests.music.images import image_bytes, size_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    track = TrackFactory(title="Valerie", artist="Amy Winehouse", album="", genre="Pop", year=None)
    suggestion = TrackSuggestion(
        track=track,
        matched_by="fingerprint",
        score=97,
        recording_mbid="8f1d0cb5-4c62-4a43-96b9-2ca1b3c3c1b1",
        fields={"artist": "Mark Ronson feat. Amy Winehouse", "album": "Version", "genre": "Soul", "year": 2007},
    )
    suggestion.cover.save("proposed.jpg", ContentFile(image_bytes(1200, 1200)), save=False)
    suggestion.save()
    return suggestion


def url(track: Track) -> str:
    return f"/library/tracks/{track.pk}/suggestions/"


def test_staff_see_each_proposed_change_beside_what_the_track_has(client, staff_dj, proposal):
    client.force_login(staff_dj)
    page = client.get(url(proposal.track)).content.decode()
    assert "From MusicBrainz" in page and "AcoustID fingerprint · 97%" in page
    assert '<input type="checkbox" name="fields" value="album" checked>' in page  # the track has none
    assert '<input type="checkbox" name="fields" value="genre">' in page  # the DJ's own: not ticked
    assert '<span class="proposal__new">Mark Ronson feat. Amy Winehouse</span>' in page
    assert proposal.cover.url in page
    assert "https://musicbrainz.org/recording/8f1d0cb5-4c62-4a43-96b9-2ca1b3c3c1b1" in page


def test_staff_accept_the_ticked_fields_and_the_cover(client, staff_dj, proposal):
    client.force_login(staff_dj)
    form = {"suggestion": proposal.pk, "action": "accept", "fields": ["album", "year"], "cover": "1"}
    answer = client.post(url(proposal.track), form, follow=True)
    assert "Updated album, year, cover." in answer.content.decode()
    track = Track.objects.get(pk=proposal.track.pk)
    assert (track.artist, track.album, track.genre, track.year) == ("Amy Winehouse", "Version", "Pop", 2007)
    assert size_of(track.cover_thumbnail.read()) == ("WEBP", (600, 600))
    assert "No suggestions waiting for this track." in answer.content.decode()
    assert "took album, year, cover" in answer.content.decode()


def test_staff_accept_all(client, staff_dj, proposal):
    client.force_login(staff_dj)
    client.post(url(proposal.track), {"suggestion": proposal.pk, "action": "accept_all"})
    track = Track.objects.get(pk=proposal.track.pk)
    assert (track.artist, track.genre, bool(track.cover_art)) == ("Mark Ronson feat. Amy Winehouse", "Soul", True)


def test_staff_reject_and_nothing_changes(client, staff_dj, proposal):
    client.force_login(staff_dj)
    answer = client.post(url(proposal.track), {"suggestion": proposal.pk, "action": "reject"}, follow=True)
    assert "Suggestion rejected: the track stays as it was." in answer.content.decode()
    track = Track.objects.get(pk=proposal.track.pk)
    assert (track.artist, track.album, bool(track.cover_art)) == ("Amy Winehouse", "", False)
    proposal.refresh_from_db()
    assert proposal.status == "rejected"


def test_accepting_nothing_is_explained(client, staff_dj, proposal):
    client.force_login(staff_dj)
    answer = client.post(url(proposal.track), {"suggestion": proposal.pk, "action": "accept"}, follow=True)
    assert "Choose at least one change to accept, or reject the suggestion." in answer.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_a_suggestion_of_another_track_is_not_found(client, staff_dj, proposal):
    client.force_login(staff_dj)
    other = TrackFactory()
    answer = client.post(url(other), {"suggestion": proposal.pk, "action": "accept_all"})
    assert answer.status_code == 404
    assert Track.objects.get(pk=proposal.track.pk).album == ""


def test_a_track_with_nothing_waiting_can_be_looked_up(
    client, staff_dj, enrichment, monkeypatch, django_capture_on_commit_callbacks, settings
):
    monkeypatch.setattr(Conf, "SYNC", True)  # the q2 task runs inline when the request commits
    settings.ACOUSTID_API_KEY = ""
    enrichment.musicbrainz.add_recording(title="Halo", artist="Beyoncé", album="I Am... Sasha Fierce")
    track = TrackFactory(title="Halo", artist="Beyoncé", album="")
    client.force_login(staff_dj)
    assert "Look it up on MusicBrainz" in client.get(url(track)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url(track), {"action": "lookup"}, follow=True)
    assert "Looking it up on MusicBrainz" in answer.content.decode()
    assert track.suggestions.get().fields == {"album": "I Am... Sasha Fierce"}


def test_without_enrichment_there_is_no_lookup_button(client, staff_dj):
    client.force_login(staff_dj)
    page = client.get(url(TrackFactory())).content.decode()
    assert "Metadata enrichment is off" in page and "Look it up" not in page


def test_only_staff_reach_the_page(client, client_a, proposal):
    assert client.get(url(proposal.track)).status_code == 302  # to the login page
    client.force_login(client_a.user)
    assert client.get(url(proposal.track)).status_code == 404
    assert client.post(url(proposal.track), {"suggestion": proposal.pk, "action": "accept_all"}).status_code == 404
    assert Track.objects.get(pk=proposal.track.pk).album == ""


def test_the_admin_accepts_and_rejects_suggestions(client, staff_dj, proposal):
    client.force_login(staff_dj)
    listing = client.get("/admin/music/tracksuggestion/").content.decode()
    assert "artist, album, genre, year, cover" in listing
    client.post("/admin/music/tracksuggestion/", {"action": "accept", "_selected_action": [str(proposal.pk)]})
    assert Track.objects.get(pk=proposal.track.pk).album == "Version"


def test_staff_write_the_tags_to_the_file_from_the_page(
    client, staff_dj, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)
    track, _ = track_import_file(encode(tmp_path / "a.flac", title="Old"))
    Track.objects.filter(pk=track.pk).update(title="New")
    client.force_login(staff_dj)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url(track), {"action": "write_tags"}, follow=True)
    assert "Writing the tags to the file in the background." in answer.content.decode()
    track.refresh_from_db()
    assert read_tags(Path(track.audio.path)).title == "New"


def test_the_track_admin_shows_the_cover_and_links_the_suggestions(client, staff_dj, proposal):
    client.force_login(staff_dj)
    page = client.get(f"/admin/music/track/{proposal.track.pk}/change/").content.decode()
    assert f'href="/library/tracks/{proposal.track.pk}/suggestions/"' in page


def test_a_malformed_suggestion_id_is_not_found(client, staff_dj, proposal):
    client.force_login(staff_dj)
    assert client.post(url(proposal.track), {"suggestion": "x'--", "action": "accept_all"}).status_code == 404


def test_deleting_a_track_removes_its_proposed_cover(proposal, media_root, django_capture_on_commit_callbacks):
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        track_delete(proposal.track)
    assert stored_files(media_root) == []
