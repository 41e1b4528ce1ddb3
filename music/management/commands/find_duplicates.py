"""manage.py find_duplicates [--merge] [--json]: the groups of tracks that are copies of one recording.

Tracks without a fingerprint yet (added before fingerprinting, or while no worker ran) are fingerprinted first.
Each group lists its copies, the one that would be kept first; --merge merges each group into that copy (requests
and other references move to it, the other copies and their files are deleted). --json prints one JSON object per
group per line. Exits 1, with one line, when fpcalc is missing or a track could not be fingerprinted (the others
are still grouped)."""

import json

from django.core.management.base import BaseCommand, CommandError

from music.duplicates import (
    DuplicateGroup,
    duplicate_groups,
    duplicates_merge,
    track_bitrate_kbps,
    track_fingerprint,
    tracks_without_fingerprint,
)
from music.errors import MusicError
from music.fingerprint import FingerprintError
from music.models import Track


class Command(BaseCommand):
    help = "List (and with --merge, merge) the tracks that are copies of one recording."

    def add_arguments(self, parser):
        parser.add_argument("--merge", action="store_true", help="Merge each group into its best copy.")
        parser.add_argument("--json", action="store_true", help="One JSON object per group per line.")

    def handle(self, *args, merge: bool, json: bool, **options):
        unprinted = self._fingerprint_missing()
        unmerged = 0
        groups = duplicate_groups()
        for number, group in enumerate(groups, start=1):
            merged = False
            if merge:
                try:
                    duplicates_merge(keep=group.best, others=group.tracks[1:])
                    merged = True
                except MusicError as error:
                    unmerged += 1
                    self.stderr.write(f"Group {number} not merged: {error.message}")
            self.stdout.write(_as_json(group, merged) if json else _as_text(number, group, merged))
        if not json:
            copies = sum(len(group.tracks) for group in groups)
            self.stdout.write(f"{len(groups)} group{'s' * (len(groups) != 1)} of duplicates ({copies} tracks).")
        problems = [f"{unprinted} track(s) could not be fingerprinted"] * bool(unprinted)
        problems += [f"{unmerged} group(s) could not be merged"] * bool(unmerged)
        if problems:
            raise CommandError(f"{'; '.join(problems)} (see above).")

    def _fingerprint_missing(self) -> int:
        """Fingerprint the tracks that have none; the number that failed."""
        pending = list(tracks_without_fingerprint().values_list("pk", flat=True))
        failed = 0
        for number, track_id in enumerate(pending, start=1):
            try:
                track_fingerprint(track_id)
            except FingerprintError as error:
                if error.code == "fpcalc_missing":
                    raise CommandError(error.message) from error
                failed += 1
                self.stderr.write(f"[{number}/{len(pending)}] not fingerprinted: {error.message}")
        return failed


def _copy(track: Track) -> dict:
    return {
        "id": str(track.pk),
        "title": track.title,
        "artist": track.artist,
        "album": track.album,
        "format": track.file_format,
        "bitrate_kbps": track_bitrate_kbps(track),
        "duration_ms": track.duration_ms,
        "file": track.audio.name,
    }


def _as_json(group: DuplicateGroup, merged: bool) -> str:
    return json.dumps(
        {"keep": _copy(group.best), "copies": [_copy(track) for track in group.tracks[1:]], "merged": merged}
    )


def _as_text(number: int, group: DuplicateGroup, merged: bool) -> str:
    lines = [f"Group {number}: {group.best} ({len(group.tracks)} copies){' — merged' if merged else ''}"]
    for index, track in enumerate(group.tracks):
        bitrate = track_bitrate_kbps(track)
        seconds = round((track.duration_ms or 0) / 1000)
        what = "keep  " if index == 0 else ("merged" if merged else "copy  ")
        details = f"{track.file_format or '?'}, {bitrate or '?'} kbps, {seconds // 60}:{seconds % 60:02d}"
        lines.append(f"  {what} {track} [{details}] {track.audio.name}")
    return "\n".join(lines)
