"""manage.py analyze_audio PATH... --json: analyse audio files without touching the database.

One JSON object per file per line: {"path", "duration", "bpm", "key", "camelot", "energy", "loudness_lufs",
"true_peak_db"} in that order, then "first_downbeat", "mix_in" and "mix_out" (seconds), or {"path", "error"} for a
file it cannot read; it goes on with the rest and exits 1 if any
failed. Without --json, one readable line per file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from music.analysis import analyze_file
from music.errors import MusicError


class Command(BaseCommand):
    help = "Analyse audio files (tempo, key, energy, loudness) without touching the database."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true", help="One JSON object per file per line.")

    def handle(self, *args, paths: list[Path], json: bool, **options):
        failed = 0
        for path in paths:
            try:
                if not path.is_file():
                    raise MusicError(f"{path} is not a file.")
                result = analyze_file(path)
            except MusicError as error:
                failed += 1
                self.stdout.write(_dumps({"path": str(path), "error": error.message}) if json else f"{path}: {error}")
                continue
            if json:
                self.stdout.write(result.as_json())
            else:
                self.stdout.write(
                    f"{path}: {result.bpm} BPM, {result.key} ({result.camelot}), energy {result.energy}, "
                    f"{result.loudness_lufs} LUFS, true peak {result.true_peak_db} dBTP, first downbeat "
                    f"{result.first_downbeat} s, mix in {result.mix_in} s, mix out {result.mix_out} s"
                )
        if failed:
            raise CommandError(f"{failed} of {len(paths)} files could not be analysed.")


def _dumps(value: dict) -> str:
    return json.dumps(value)
