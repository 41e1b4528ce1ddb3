"""Metadata enrichment: a track is matched to a MusicBrainz recording (by its AcoustID fingerprint, else by its
title and artist), and what MusicBrainz knows that the track lacks (title, artist, album, genre, year, and a front
cover from the Cover Art Archive) is stored as a TrackSuggestion. Nothing reaches the track until the DJ accepts
the suggestion, whole or field by field."""

import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from djbiz.errors import ConflictError
from djbiz.text import fold_song_text
from music import acoustid_client, musicbrainz
from music.covers import Cover, CoverError, cover_from_bytes, track_cover_set
from music.errors import MusicError
from music.models import MatchedBy, SuggestionStatus, Track, TrackSuggestion
from music.services import track_audio_copy

logger = logging.getLogger(__name__)

MIN_SEARCH_SCORE = 90  # MusicBrainz search relevance (0–100) a match by tags needs
MAX_LENGTH_GAP_MS = 10_000  # a recording this much longer or shorter than the file is another version


def track_enrich(track_id: uuid.UUID) -> TrackSuggestion | None:
    """Look a track up and store what was found as a suggestion for the DJ (None when the track is gone).
    Idempotent: a track with a suggestion waiting gets that one back, and a lookup that finds what the last one
    found (the same proposal, or nothing new) adds no row. Raises MusicError when enrichment is off,
    EnrichmentError when a service cannot answer."""
    if not settings.MUSIC_ENRICHMENT_ENABLED:
        raise MusicError("Metadata enrichment is off (MUSIC_ENRICHMENT_ENABLED).", code="enrichment_off")
    track = Track.objects.filter(pk=track_id).first()
    if track is None:
        return None
    pending = track.suggestions.filter(status=SuggestionStatus.PENDING).first()
    if pending is not None:
        return pending
    found = _find_recording(track)
    if found is None:
        return _remember(track, TrackSuggestion(track=track, status=SuggestionStatus.NOTHING))
    recording, matched_by, score = found
    fields = _proposed_fields(track, recording, only_missing=matched_by == MatchedBy.TAGS)
    cover = _proposed_cover(track, recording)
    suggestion = TrackSuggestion(
        track=track,
        matched_by=matched_by,
        score=score,
        recording_mbid=recording.mbid,
        release_mbid=recording.release_mbid,
        fields=fields,
    )
    if not fields and cover is None:
        suggestion.status = SuggestionStatus.NOTHING
    return _remember(track, suggestion, cover)


def suggestion_accept(
    *,
    suggestion: TrackSuggestion,
    user: AbstractBaseUser | None,
    fields: Iterable[str] | None = None,
    cover: bool | None = None,
) -> Track:
    """Apply a suggestion to its track: the chosen fields (default: all it proposes) and its cover (default: when it
    has one, with new thumbnails). Raises MusicError for a field it does not propose or an empty choice,
    ConflictError when it was decided already."""
    chosen = suggestion.proposed_fields() if fields is None else list(dict.fromkeys(fields))
    unknown = set(chosen) - set(suggestion.fields)
    if unknown:
        raise MusicError(f"The suggestion proposes no {', '.join(sorted(unknown))}.", code="not_proposed")
    take_cover = bool(suggestion.cover) if cover is None else cover
    if take_cover and not suggestion.cover:
        raise MusicError("The suggestion proposes no cover.", code="not_proposed")
    if not chosen and not take_cover:
        raise MusicError("Choose at least one change to accept, or reject the suggestion.", code="nothing_chosen")
    new_cover = _stored_cover(suggestion) if take_cover else None
    stored: list = []  # the new cover files, removed again if the change does not commit
    try:
        with transaction.atomic():
            locked = _pending(suggestion)
            track = Track.objects.select_for_update().get(pk=locked.track_id)
            for field in chosen:
                setattr(track, field, locked.fields[field])
            if new_cover is not None:
                track_cover_set(track=track, cover=new_cover)
                stored = [track.cover_art, track.cover_thumbnail, track.cover_small]
            track.save()
            accepted = [field for field in locked.FIELDS if field in chosen] + (["cover"] if take_cover else [])
            _decide(locked, SuggestionStatus.ACCEPTED, user, accepted=accepted)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    suggestion.refresh_from_db()
    return track


def suggestion_reject(*, suggestion: TrackSuggestion, user: AbstractBaseUser | None) -> None:
    """The DJ does not want this suggestion: the track stays as it is. Raises ConflictError when it was decided
    already."""
    with transaction.atomic():
        _decide(_pending(suggestion), SuggestionStatus.REJECTED, user, accepted=[])
    suggestion.refresh_from_db()


def _find_recording(track: Track) -> tuple[musicbrainz.Recording, str, int] | None:
    """(recording, how it was matched, score 0–100): by fingerprint when an AcoustID key is set, else (or when
    AcoustID knows nothing) by title and artist."""
    if settings.ACOUSTID_API_KEY:
        try:
            print_, duration = _fingerprint(track)
        except MusicError as error:
            logger.warning("fingerprint failed", extra={"track": str(track.pk), "reason": error.message})
        else:
            for score, mbid in acoustid_client.recording_ids(fingerprint=print_, duration_s=duration):
                recording = musicbrainz.recording(mbid)
                if recording is not None:
                    return recording, MatchedBy.FINGERPRINT, round(score * 100)
    if not track.title:
        return None
    for hit in musicbrainz.search_recordings(title=track.title, artist=track.artist):
        if _same_song(track, hit):
            recording = musicbrainz.recording(hit.mbid)
            if recording is not None:
                return recording, MatchedBy.TAGS, hit.score
    return None


def _fingerprint(track: Track) -> tuple[str, float]:
    """The track's Chromaprint fingerprint (made now and kept on the track when it has none) and duration."""
    if track.fingerprint and track.duration_ms:
        return track.fingerprint, track.duration_ms / 1000
    with track_audio_copy(track) as path:
        duration, print_ = acoustid_client.fingerprint(path)
    if not track.fingerprint:
        Track.objects.filter(pk=track.pk, fingerprint="").update(fingerprint=print_, updated_at=timezone.now())
        track.fingerprint = print_
    return track.fingerprint, (track.duration_ms / 1000 if track.duration_ms else duration)


def _same_song(track: Track, hit: musicbrainz.Recording) -> bool:
    """A search hit is this track only when it scores high, has the same title (and artist, if the track names one)
    as song matching folds them, and about the same length."""
    if hit.score < MIN_SEARCH_SCORE or fold_song_text(hit.title) != fold_song_text(track.title):
        return False
    if track.artist and fold_song_text(track.artist) not in fold_song_text(hit.artist):
        return False
    return not (track.duration_ms and hit.length_ms and abs(track.duration_ms - hit.length_ms) > MAX_LENGTH_GAP_MS)


def _proposed_fields(track: Track, recording: musicbrainz.Recording, *, only_missing: bool) -> dict:
    """What the recording says that differs from the track. A match by fingerprint is evidence about the audio
    itself, so any difference is proposed (the DJ picks); a match by tags only fills what the track lacks."""
    found = {
        "title": recording.title[:200],
        "artist": recording.artist[:200],
        "album": recording.album[:200],
        "genre": recording.genre[:100],
        "year": recording.year,
    }
    proposed = {}
    for field, value in found.items():
        current = getattr(track, field)
        if value in ("", None) or value == current or (only_missing and current not in ("", None)):
            continue
        proposed[field] = value
    return proposed


def _proposed_cover(track: Track, recording: musicbrainz.Recording) -> Cover | None:
    """The release's front cover when the track has none (an image that fails the checks is skipped)."""
    if track.cover_art or not recording.release_mbid:
        return None
    try:
        data = musicbrainz.front_cover(recording.release_mbid)
        return None if data is None else cover_from_bytes(data)
    except CoverError as error:
        logger.warning("proposed cover skipped", extra={"release": recording.release_mbid, "reason": error.message})
        return None


def _remember(track: Track, suggestion: TrackSuggestion, cover: Cover | None = None) -> TrackSuggestion:
    """Store a lookup's outcome, unless the last lookup found the same thing (the DJ decided on it already, or it
    was nothing new)."""
    last = track.suggestions.exclude(status=SuggestionStatus.PENDING).first()
    if last is not None and _same_outcome(last, suggestion):
        return last
    if cover is not None:
        suggestion.cover.save(f"{uuid.uuid4().hex}.{cover.extension}", ContentFile(cover.data), save=False)
    try:
        with transaction.atomic():
            suggestion.save()
    except IntegrityError:  # another run stored its suggestion for this track first
        if suggestion.cover:
            suggestion.cover.delete(save=False)
        return track.suggestions.get(status=SuggestionStatus.PENDING)
    return suggestion


def _same_outcome(last: TrackSuggestion, new: TrackSuggestion) -> bool:
    """Nothing new found twice, or the same recording proposing the same fields the DJ has seen already."""
    if SuggestionStatus.NOTHING in (last.status, new.status):
        return last.status == new.status
    return (last.recording_mbid, last.fields) == (new.recording_mbid, new.fields)


def _stored_cover(suggestion: TrackSuggestion) -> Cover:
    try:
        with suggestion.cover.open("rb") as stored:
            return cover_from_bytes(stored.read())
    except FileNotFoundError as error:  # removed when another request decided the suggestion
        raise ConflictError("The proposed cover is gone: the suggestion was decided meanwhile.") from error


def _pending(suggestion: TrackSuggestion) -> TrackSuggestion:
    locked = TrackSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.PENDING:
        raise ConflictError(f"This suggestion was {locked.get_status_display().lower()} already.")
    return locked


def _decide(suggestion: TrackSuggestion, status: str, user: AbstractBaseUser | None, *, accepted: list[str]) -> None:
    suggestion.status, suggestion.accepted_fields = status, accepted
    suggestion.decided_at, suggestion.decided_by = timezone.now(), user
    if suggestion.cover:  # the proposed image is copied to the track or not wanted: either way it goes
        name, storage = suggestion.cover.name, suggestion.cover.storage
        transaction.on_commit(lambda: storage.delete(name))
        suggestion.cover = ""
    suggestion.save()
