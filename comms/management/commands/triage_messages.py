"""`manage.py triage_messages --json FILE`: the drafted-replies pipeline without the database, one JSON object per
message per line."""

import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comms.triage.inputs import TriageInputError, messages_from_json
from comms.triage.pipeline import triage


class Command(BaseCommand):
    help = (
        "Triage inbound messages from a JSON file (a list of {from, subject, body, received_at}) and print, one "
        "line each, {intent, sentiment, urgency, event_date, event_type, guest_count, venue, draft}. "
        "Uses no database."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--json", required=True, metavar="FILE", help="the messages, a JSON list")
        parser.add_argument(
            "--day-first",
            action="store_true",
            help="read ambiguous numeric dates as day/month (default month/day; 14/06 is the 14th either way)",
        )
        parser.add_argument("--business-name", default="", help="sign the drafts with this name")

    def handle(self, *args, **options):
        path = Path(options["json"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
        try:
            messages = messages_from_json(text)
        except TriageInputError as error:
            raise CommandError(f"{path}: {error.message}") from None
        try:
            for message in messages:
                result = triage(message, business_name=options["business_name"] or None, day_first=options["day_first"])
                self.stdout.write(json.dumps(result.as_contract(), ensure_ascii=False))
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None
