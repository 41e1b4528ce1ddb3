"""Metadata enrichment against fake MusicBrainz, AcoustID and Cover Art Archive servers: a track is matched by its
fingerprint (else by title and artist), what it lacks is stored as a suggestion with the release's front cover,
nothing reaches the track before the DJ accepts (all, or field by field), and lookups can run again safely."""

import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_q.conf import Conf

from djbiz.errors import ConflictError
from music.enrichment import suggestion_accept, suggestion_reject, track_enrich
from music.errors import EnrichmentError, MusicError
from music.models import Track, TrackSuggestion
from music.services import track_import_file
from music.tags import EmbeddedImage, write_tags
from tests.music.audio import encode
from tests.music.conftest import stored_files
from tests.music.images import image_bytes, size_of

pytestmark = pytest.mark.django_db

COVER = image_bytes(1200, 1200)


@pytest.fixture
def untagged(tmp_path):
    """A file with no tags (the track is named after the file), as downloads and rips often are."""
    song = encode(tmp_path / "track_07.mp3", seconds=8)
    track, _ = track_import_file(song)
    return track


@pytest.fixture
def valerie(enrichment):
    """MusicBrainz knows the recording, and the Cover Art Archive its release's cover."""
    mbid = enrichment.musicbrainz.add_recording(
        title="Valerie",
        artist="Mark Ronson feat. Amy Winehouse",
        album="Version",
        release_date="2007-04-16",
        genres=["soul", "pop"],
        length_ms=8000,
    )
    enrichment.covers.add(enrichment.musicbrainz.release_of(mbid), COVER)
    return mbid


def known_to_acoustid(enrichment, track: Track, mbid: str, score: float = 0.97) -> None:
    """AcoustID has this file's fingerprint (as fpcalc makes it) for the recording."""
    command = ["fpcalc", "-plain", "-ignore-errors", track.audio.path]
    fingerprint = subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()
    enrichment.acoustid.add(fingerprint, mbid, score=score)


def test_a_fingerprint_match_is_proposed_and_nothing_changes_before_the_dj_accepts(
    enrichment, valerie, untagged, media_root
):
    known_to_acoustid(enrichment, untagged, valerie)

    suggestion = track_enrich(untagged.pk)

    assert (suggestion.status, suggestion.matched_by, suggestion.score) == ("pending", "fingerprint", 97)
    assert suggestion.recording_mbid == valerie
    assert suggestion.fields == {
        "title": "Valerie",
        "artist": "Mark Ronson feat. Amy Winehouse",
        "album": "Version",
        "genre": "Soul",
        "year": 2007,
    }
    assert suggestion.cover.read() == COVER
    track = Track.objects.get(pk=untagged.pk)
    assert (track.title, track.artist, track.album, track.year, bool(track.cover_art)) == (
        "track 07",
        "",
        "",
        None,
        False,
    )
    assert track.fingerprint  # made by fpcalc, kept for next time
    agents = {request["headers"]["User-Agent"] for request in enrichment.musicbrainz.requests}
    assert agents == {"djbiz/1.0 ( dj@example.com )"}


def test_the_dj_accepts_some_fields_and_the_cover(
    enrichment, valerie, untagged, staff_dj, media_root, django_capture_on_commit_callbacks
):
    known_to_acoustid(enrichment, untagged, valerie)
    suggestion = track_enrich(untagged.pk)

    with django_capture_on_commit_callbacks(execute=True):
        track = suggestion_accept(suggestion=suggestion, user=staff_dj, fields=["artist", "album"], cover=True)

    track.refresh_from_db()
    assert (track.title, track.artist, track.album, track.genre) == (
        "track 07",
        "Mark Ronson feat. Amy Winehouse",
        "Version",
        "",
    )
    assert track.cover_art.read() == COVER
    assert size_of(track.cover_thumbnail.read()) == ("WEBP", (600, 600))
    assert size_of(track.cover_small.read()) == ("WEBP", (96, 96))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.accepted_fields, suggestion.decided_by) == (
        "accepted",
        ["artist", "album", "cover"],
        staff_dj,
    )
    assert not suggestion.cover  # the proposed image was copied to the track, and removed
    assert len(stored_files(media_root)) == 4  # the audio, the cover and its two thumbnails
    with pytest.raises(ConflictError, match="accepted already"):
        suggestion_accept(suggestion=suggestion, user=staff_dj)


def test_rejecting_leaves_the_track_as_it_was(
    enrichment, valerie, untagged, staff_dj, media_root, django_capture_on_commit_callbacks
):
    known_to_acoustid(enrichment, untagged, valerie)
    suggestion = track_enrich(untagged.pk)
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_reject(suggestion=suggestion, user=staff_dj)
    track = Track.objects.get(pk=untagged.pk)
    assert (track.title, track.artist, bool(track.cover_art)) == ("track 07", "", False)
    assert suggestion.status == "rejected"
    assert len(stored_files(media_root)) == 1  # the proposed cover is gone

    assert track_enrich(untagged.pk) == suggestion  # the same finding is not proposed again
    assert TrackSuggestion.objects.count() == 1


def test_looking_up_again_while_a_suggestion_waits_returns_it(enrichment, valerie, untagged):
    known_to_acoustid(enrichment, untagged, valerie)
    first = track_enrich(untagged.pk)
    asked = len(enrichment.musicbrainz.requests)
    assert track_enrich(untagged.pk) == first
    assert len(enrichment.musicbrainz.requests) == asked
    assert TrackSuggestion.objects.count() == 1


def test_a_match_by_tags_fills_only_what_the_track_lacks(enrichment, valerie, tmp_path, settings):
    settings.ACOUSTID_API_KEY = ""  # no fingerprint lookups
    song = encode(
        tmp_path / "v.flac", seconds=8, title="Valerie", artist="Mark Ronson feat. Amy Winehouse", genre="Funk"
    )
    track, _ = track_import_file(song)

    suggestion = track_enrich(track.pk)

    assert (suggestion.matched_by, suggestion.score) == ("tags", 100)
    assert suggestion.fields == {"album": "Version", "year": 2007}  # the DJ's genre is kept
    assert suggestion.cover
    assert enrichment.acoustid.requests == []


def test_another_song_with_that_title_is_not_taken(enrichment, tmp_path, settings):
    settings.ACOUSTID_API_KEY = ""
    enrichment.musicbrainz.add_recording(title="Hello", artist="Adele", album="25", length_ms=295_000)
    track, _ = track_import_file(encode(tmp_path / "h.mp3", seconds=8, title="Hello", artist="Lionel Richie"))
    assert track_enrich(track.pk).status == "nothing"
    track, _ = track_import_file(encode(tmp_path / "a.mp3", seconds=9, title="Hello", artist="Adele"))
    assert track_enrich(track.pk).status == "nothing"  # 9 s against 4 min 55 s: another version


def test_nothing_found_is_remembered_once(enrichment, untagged):
    assert track_enrich(untagged.pk).status == "nothing"
    assert track_enrich(untagged.pk).status == "nothing"
    assert list(TrackSuggestion.objects.values_list("status", flat=True)) == ["nothing"]


def test_a_track_with_a_cover_is_not_offered_another(enrichment, valerie, tmp_path):
    song = encode(tmp_path / "v.mp3", seconds=8, title="Valerie", artist="Mark Ronson feat. Amy Winehouse")
    write_tags(song, {}, cover=EmbeddedImage(image_bytes(300, 300), "image/jpeg"))
    track, _ = track_import_file(song)
    suggestion = track_enrich(track.pk)
    assert not suggestion.cover
    assert enrichment.covers.requests == []


def test_an_unusable_cover_from_the_archive_is_skipped(enrichment, valerie, untagged, settings):
    known_to_acoustid(enrichment, untagged, valerie)
    settings.MUSIC_COVER_MAX_BYTES = 10_000  # the archive's image is larger
    suggestion = track_enrich(untagged.pk)
    assert suggestion.fields["title"] == "Valerie" and not suggestion.cover


def test_services_that_cannot_answer_store_nothing(enrichment, valerie, untagged, settings):
    known_to_acoustid(enrichment, untagged, valerie)
    enrichment.musicbrainz.fail_next = 1
    with pytest.raises(EnrichmentError, match="MusicBrainz asks us to slow down"):
        track_enrich(untagged.pk)
    settings.ACOUSTID_API_KEY = "wrong"
    with pytest.raises(EnrichmentError, match="invalid API key"):
        track_enrich(untagged.pk)
    settings.MUSICBRAINZ_URL = "http://127.0.0.1:9/ws/2/"  # nothing listens there
    settings.ACOUSTID_API_KEY = ""
    with pytest.raises(EnrichmentError, match="MusicBrainz cannot be reached"):
        track_enrich(untagged.pk)
    assert TrackSuggestion.objects.count() == 0


def test_musicbrainz_gets_one_request_a_second(enrichment, valerie, untagged, settings):
    settings.MUSICBRAINZ_MIN_INTERVAL = 1
    settings.ACOUSTID_API_KEY = ""
    Track.objects.filter(pk=untagged.pk).update(title="Valerie", artist="Mark Ronson feat. Amy Winehouse")
    track_enrich(untagged.pk)  # a search, then a lookup
    first, second = (request["at"] for request in enrichment.musicbrainz.requests)
    assert second - first >= 0.95


def test_enrichment_is_off_unless_enabled(untagged, settings):
    settings.MUSIC_ENRICHMENT_ENABLED = False
    with pytest.raises(MusicError, match="enrichment is off"):
        track_enrich(untagged.pk)
    with pytest.raises(CommandError, match="MUSIC_ENRICHMENT_ENABLED=true"):
        call_command("enrich_tracks", "--all")


def test_enrich_tracks_looks_up_the_tracks_not_looked_up_yet(enrichment, valerie, untagged, tmp_path, capsys):
    known_to_acoustid(enrichment, untagged, valerie)
    other, _ = track_import_file(encode(tmp_path / "other.mp3", seconds=3, frequency=880))

    call_command("enrich_tracks", "--all")

    out = capsys.readouterr().out
    assert f"{untagged.pk}: suggestion waiting for the DJ: track 07 (title, artist, album, genre, year, cover)" in out
    assert f"{other.pk}: nothing new: other" in out
    assert out.endswith("2 tracks: 1 nothing new, 1 waiting for the DJ.\n")  # in the library's order
    call_command("enrich_tracks", "--all")
    assert capsys.readouterr().out == "0 tracks: nothing to do.\n"


def test_enrich_tracks_reports_a_failed_lookup_and_exits_non_zero(enrichment, untagged, capsys):
    enrichment.musicbrainz.fail_next = 5
    enrichment.acoustid.api_key = "another"
    with pytest.raises(CommandError, match="1 of 1 lookups failed"):
        call_command("enrich_tracks", str(untagged.pk))
    assert "lookup failed: AcoustID refused the lookup: invalid API key." in capsys.readouterr().err


def test_an_import_is_looked_up_in_the_background(
    enrichment, valerie, tmp_path, monkeypatch, settings, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)  # q2 tasks run inline, when the import commits
    settings.ACOUSTID_API_KEY = ""
    song = encode(tmp_path / "v.mp3", seconds=8, title="Valerie", artist="Mark Ronson feat. Amy Winehouse")
    with django_capture_on_commit_callbacks(execute=True):
        track, _ = track_import_file(song)
    assert track.suggestions.get().fields == {"album": "Version", "genre": "Soul", "year": 2007}


def test_genres_are_asked_for_only_when_enabled(enrichment, valerie, untagged, settings):
    settings.MUSICBRAINZ_GENRES = False  # MusicBrainz genres are CC BY-NC-SA supplementary data
    known_to_acoustid(enrichment, untagged, valerie)
    suggestion = track_enrich(untagged.pk)
    assert "genre" not in suggestion.fields and suggestion.fields["album"] == "Version"
    (lookup,) = [request for request in enrichment.musicbrainz.requests if request["path"].count("/") == 4]
    assert lookup["query"]["inc"] == "artists+releases"
