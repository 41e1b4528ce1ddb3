"""manage.py enrich_tracks --all | ID...: look tracks up on MusicBrainz (by AcoustID fingerprint, else by title and
artist) and store what is missing as suggestions the DJ accepts or rejects on the track's suggestions page.

--all takes the tracks never looked up; named tracks are looked up again (a suggestion that is waiting, or the same
finding as last time, adds nothing). One line per track ([n/total]), then a summary; exits 1 when a lookup failed
(the others go on). MusicBrainz's rate limit makes this about one track a second or two."""

import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from music.enrichment import track_enrich
from music.errors import MusicError
from music.models import SuggestionStatus, Track


class Command(BaseCommand):
    help = "Propose missing tags and covers from MusicBrainz and the Cover Art Archive for the DJ to confirm."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every track not looked up yet.")
        which.add_argument("ids", nargs="*", default=[], metavar="ID", help="Track ids.")

    def handle(self, *args, ids: list[str], **options):
        if not settings.MUSIC_ENRICHMENT_ENABLED:
            raise CommandError("Metadata enrichment is off: set MUSIC_ENRICHMENT_ENABLED=true.")
        if options["all"]:
            tracks = list(Track.objects.filter(suggestions__isnull=True).values_list("pk", flat=True))
        else:
            tracks = [self._track_id(value) for value in ids]
        failed = 0
        outcomes: dict[str, int] = {}
        for number, track_id in enumerate(tracks, start=1):
            where = f"[{number}/{len(tracks)}] {track_id}"
            try:
                suggestion = track_enrich(track_id)
            except MusicError as error:
                failed += 1
                self.stderr.write(f"{where}: lookup failed: {error.message}")
                continue
            outcome, line = self._describe(suggestion)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            self.stdout.write(f"{where}: {line}")
        summary = ", ".join(f"{count} {what}" for what, count in outcomes.items()) or "nothing to do"
        self.stdout.write(f"{len(tracks)} tracks: {summary}" + (f", {failed} failed." if failed else "."))
        if failed:
            raise CommandError(f"{failed} of {len(tracks)} lookups failed (see above).")

    @staticmethod
    def _describe(suggestion) -> tuple[str, str]:
        if suggestion is None:
            return "not found", "no such track"
        if suggestion.status == SuggestionStatus.PENDING:
            proposed = ", ".join([*suggestion.fields, *(["cover"] if suggestion.cover else [])])
            return "waiting for the DJ", f"suggestion waiting for the DJ: {suggestion.track} ({proposed})"
        return "nothing new", f"nothing new: {suggestion.track}"

    @staticmethod
    def _track_id(value: str) -> uuid.UUID:
        try:
            return uuid.UUID(value)
        except ValueError:
            raise CommandError(f"{value} is not a track id.") from None
