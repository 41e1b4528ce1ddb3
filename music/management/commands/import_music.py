"""manage.py import_music DIR: add every audio file under DIR to the library, described from its tags.

Idempotent: a file already in the library (the same content, wherever it lies) is not stored again. One line per
file with the progress ([n/total]), then a summary; exits 1 when a file could not be imported (the others are). On
a terminal (or with --progress) a progress bar under the lines is redrawn after each file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from djbiz.progress import progress_bar
from music.errors import MusicError
from music.services import audio_files_under, track_import_file


class Command(BaseCommand):
    help = "Add every audio file under a folder (and its subfolders) to the music library."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help="Draw a progress bar (default: when the output is a terminal).",
        )

    def handle(self, *args, directory: Path, progress: bool | None, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        files = audio_files_under(directory)
        counts = {"imported": 0, "already in the library": 0, "failed": 0}
        bar = self.stdout.isatty() if progress is None else progress
        for number, path in enumerate(files, start=1):
            if bar:  # the bar stays on the last line: cleared before each file's line, drawn again after it
                self.stdout.write("\r\033[K", ending="")
            where = f"[{number}/{len(files)}] {path.relative_to(directory)}"
            try:
                track, created = track_import_file(path)
            except MusicError as error:
                counts["failed"] += 1
                self.stderr.write(f"{where}: not imported: {error.message}")
            else:
                outcome = "imported" if created else "already in the library"
                counts[outcome] += 1
                self.stdout.write(f"{where}: {outcome}: {track}")
            if bar:
                self.stdout.write(progress_bar(number, len(files)), ending="")
        if bar and files:
            self.stdout.write("\r\033[K", ending="")
        summary = ", ".join(f"{count} {what}" for what, count in counts.items())
        self.stdout.write(f"{len(files)} audio files: {summary}.")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} files could not be imported (see above).")
