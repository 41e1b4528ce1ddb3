"""Use cases for copies of one recording in the library: fingerprint a track (a q2 task after ingest), find the
groups of copies (music.duplicate_finder), merge a group into one track (the best copy, or the DJ's choice)."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from djbiz.text import fold_song_text
from music.duplicate_finder import Candidate, find_groups
from music.errors import MusicError
from music.fingerprint import ITEM_SECONDS, FingerprintError, decode, fingerprint_file
from music.models import Track
from music.services import track_local_file

LOSSLESS_FORMATS = frozenset({"flac", "wav", "aiff", "aif", "alac", "ape", "wv"})
BITRATE_STEP_KBPS = 32  # bitrates closer than this (a VBR 245 and a CBR 256 kbps copy) count as the same
# Filled in on the kept track when it has none and a removed copy has one.
CATALOGUE_FIELDS = ("artist", "album", "genre", "year", "comment", "bpm", "key", "camelot", "source_url")
COVER_FIELDS = ("cover_art", "cover_thumbnail", "cover_small")
FILE_FIELDS = ("audio", "normalized_audio", *COVER_FIELDS)
GROUPS_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class DuplicateGroup:
    tracks: list[Track]  # best copy first

    @property
    def best(self) -> Track:
        return self.tracks[0]


def track_fingerprint(track_id: uuid.UUID) -> Track | None:
    """Store the track's Chromaprint fingerprint (a q2 task after ingest; the command does it for older tracks).
    Idempotent: a track with a fingerprint is left alone. Raises FingerprintError for audio fpcalc cannot read;
    None when the track is gone."""
    track = Track.objects.filter(pk=track_id).first()
    if track is None or track.fingerprint:
        return track
    if not track.audio:
        raise FingerprintError(f"“{track}” has no audio file.")
    with track_local_file(track) as path:
        fingerprint = fingerprint_file(path)
    now = timezone.now()  # updated_at moves, so the cached duplicate groups are found again
    Track.objects.filter(pk=track.pk, fingerprint="").update(fingerprint=fingerprint.compressed, updated_at=now)
    Track.objects.filter(pk=track.pk, duration_ms=None).update(
        duration_ms=round(fingerprint.duration * 1000), updated_at=now
    )
    track.refresh_from_db()
    return track


def tracks_without_fingerprint() -> QuerySet[Track]:
    return Track.objects.filter(fingerprint="").exclude(audio="")


def duplicate_groups(*, tracks: QuerySet[Track] | None = None) -> list[DuplicateGroup]:
    """The groups of tracks (among `tracks`, default all) that are copies of one recording, best copy first;
    groups by the best copy's artist and title. Tracks without a fingerprint yet are not in any group.

    Finding the groups of the whole library takes seconds at 20,000 tracks, so who is in which group is cached
    until a fingerprinted track is added, changed (updated_at) or removed; the tracks themselves are read fresh."""
    if tracks is None:
        fingerprinted = Track.objects.exclude(fingerprint="").aggregate(count=Count("pk"), latest=Max("updated_at"))
        latest = fingerprinted["latest"].timestamp() if fingerprinted["latest"] else 0
        key = f"music-duplicate-groups-{fingerprinted['count']}-{latest}"
        members = cache.get(key)
        if members is None:
            members = _group_members(Track.objects.all())
            cache.set(key, members, timeout=GROUPS_CACHE_SECONDS)
    else:
        members = _group_members(tracks)
    by_id = Track.objects.defer("beats_ms", "fingerprint").in_bulk([pk for group in members for pk in group])
    groups = [
        DuplicateGroup(tracks=sorted((by_id[pk] for pk in group if pk in by_id), key=track_quality, reverse=True))
        for group in members
    ]
    groups = [group for group in groups if len(group.tracks) > 1]
    return sorted(groups, key=lambda group: (group.best.artist.casefold(), group.best.title.casefold()))


def _group_members(tracks: QuerySet[Track]) -> list[list[uuid.UUID]]:
    candidates = []
    for pk, compressed, duration_ms, title, artist in (
        tracks.exclude(fingerprint="")
        .values_list("pk", "fingerprint", "duration_ms", "title", "artist")
        .iterator(chunk_size=2000)
    ):
        try:
            fingerprint = decode(compressed)
        except FingerprintError:
            continue
        duration = duration_ms / 1000 if duration_ms else fingerprint.size * ITEM_SECONDS
        candidates.append(Candidate(key=pk, duration=duration, fingerprint=fingerprint, name=_name(title, artist)))
    return [[member.key for member in group] for group in find_groups(candidates)]


def track_quality(track: Track) -> tuple:
    """What makes one copy better than another, best last when sorted: lossless over lossy, then a higher
    bitrate (from the file's size and duration when it was not read), then the longer (untrimmed) copy."""
    lossless = track.file_format.lower() in LOSSLESS_FORMATS
    bitrate = 0 if lossless else round((track_bitrate_kbps(track) or 0) / BITRATE_STEP_KBPS)
    return (lossless, bitrate, track.duration_ms or 0, track.sample_rate_hz or 0, track.file_size or 0)


def track_bitrate_kbps(track: Track) -> int | None:
    """The file's bitrate as read from it, or estimated from its size and duration."""
    if track.bitrate_kbps:
        return track.bitrate_kbps
    if track.file_size and track.duration_ms:
        return round(track.file_size * 8 / track.duration_ms)
    return None


def duplicates_merge(*, keep: Track, others: Iterable[Track]) -> Track:
    """Merge copies of one recording into `keep`: its empty catalogue fields (and cover art) are filled from the
    others, every reference to the others (song requests, playlist entries, whatever points at a track) moves to
    it, and the others are deleted, their files after commit. One transaction. Idempotent: copies already merged
    are skipped. Raises MusicError when `keep` is gone or a track is not a copy of it."""
    with transaction.atomic():
        kept = Track.objects.select_for_update().filter(pk=keep.pk).first()
        if kept is None:
            raise MusicError(f"“{keep}” is no longer in the library.", code="gone")
        other_ids = {track.pk for track in others} - {kept.pk}
        removed = list(Track.objects.select_for_update().filter(pk__in=other_ids).order_by("created_at"))
        if not removed:
            return kept
        _check_copies(kept, removed)
        moved_covers = _fill_in(kept, removed)
        kept.save()
        _move_references(kept, [track.pk for track in removed])
        try:
            Track.objects.filter(pk__in=[track.pk for track in removed]).delete()
        except models.ProtectedError as error:
            raise MusicError(f"Not merged: a copy of “{kept}” is still needed elsewhere.", code="protected") from error
        files = [
            (getattr(track, name).storage, getattr(track, name).name)
            for track in removed
            for name in FILE_FIELDS
            if getattr(track, name) and (track.pk, name) not in moved_covers
        ]
        transaction.on_commit(lambda: _delete_files(files))
    return kept


def _check_copies(kept: Track, removed: Sequence[Track]) -> None:
    """Refuse to merge tracks that are not copies of the kept one (a stale page, a hand-made request)."""
    groups = duplicate_groups(tracks=Track.objects.filter(pk__in=[kept.pk, *(track.pk for track in removed)]))
    together = next((group.tracks for group in groups if kept in group.tracks), [])
    strangers = [track for track in removed if track not in together]
    if strangers:
        names = ", ".join(f"“{track}”" for track in strangers)
        raise MusicError(f"Not merged: {names} is not a copy of “{kept}”.", code="not_a_copy")


def _fill_in(kept: Track, removed: Sequence[Track]) -> set[tuple[uuid.UUID, str]]:
    """Fill the kept track's empty catalogue fields from the removed copies; take a copy's cover art when the kept
    one has none. Returns the (track id, field) of the cover files that now belong to the kept track."""
    for name in CATALOGUE_FIELDS:
        if getattr(kept, name) in (None, ""):
            value = next((getattr(track, name) for track in removed if getattr(track, name) not in (None, "")), None)
            if value is not None:
                setattr(kept, name, value)
    if kept.cover_art:
        return set()
    donor = next((track for track in removed if track.cover_art), None)
    if donor is None:
        return set()
    for name in COVER_FIELDS:
        setattr(kept, name, getattr(donor, name).name)
    return {(donor.pk, name) for name in COVER_FIELDS}


def _move_references(kept: Track, removed_ids: list[uuid.UUID]) -> None:
    """Point every row that refers to a removed copy at the kept track. Found through Track's relations, so
    models added later (in apps this one must not import) move too. A row that cannot move because the kept track
    already has its twin (a unique constraint: a playlist holding both copies) stays behind and goes with the
    removed copy (deleted or unlinked, as its foreign key says)."""
    for relation in Track._meta.related_objects:
        if relation.many_to_many:
            model, field = relation.through, relation.field.m2m_reverse_field_name()
        else:
            model, field = relation.related_model, relation.field.name
        _repoint(model, field, kept, removed_ids)


def _repoint(model: type[models.Model], field: str, kept: Track, removed_ids: list[uuid.UUID]) -> None:
    rows = model._base_manager.filter(**{f"{field}__in": removed_ids})
    try:
        with transaction.atomic():
            rows.update(**{field: kept})
    except IntegrityError:
        for pk in rows.values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{field: kept})
            except IntegrityError:
                continue


def _delete_files(files: list[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)


def _name(title: str, artist: str) -> str:
    """Folded title and artist, the tags' evidence (empty without an artist: a bare "Intro" says little)."""
    return f"{fold_song_text(title)} / {fold_song_text(artist)}" if artist else ""
