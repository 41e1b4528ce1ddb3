"""manage.py download URL... [--wait]: download tracks, playlists or podcast feeds into the library.

Each link becomes a download job, as on the Downloads page. Without --wait the jobs are queued for the q2 workers;
with --wait they run here, one line per item as it ends. A link the URL policy refuses stops the command with one
line before anything is queued; with --wait, it exits 1 when an item failed (the others are downloaded)."""

from django.core.management.base import BaseCommand, CommandError

from music.downloads import download_item_run, download_job_read, download_jobs_submit
from music.errors import MusicError


class Command(BaseCommand):
    help = "Download tracks, playlists or podcast feeds into the music library (yt-dlp)."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", metavar="URL")
        parser.add_argument("--wait", action="store_true", help="Download here and now instead of queueing.")

    def handle(self, *args, urls: list[str], wait: bool, **options):
        try:
            jobs = download_jobs_submit(urls=urls, user=None, queue=not wait)
        except MusicError as error:
            raise CommandError(error.message) from error
        if not wait:
            for job in jobs:
                self.stdout.write(f"Queued {job.url} (job {job.pk}).")
            return
        failed = 0
        for job in jobs:
            job = download_job_read(job.pk, queue=False)
            if job.status == "failed":
                failed += 1
                self.stderr.write(f"{job.url}: {job.error_message}")
                continue
            items = list(job.items.all())
            for number, item in enumerate(items, start=1):
                item = download_item_run(item.pk)
                where = f"[{number}/{len(items)}] {item.url}"
                if item.status == "done":
                    self.stdout.write(f"{where}: done: {item.track}")
                else:
                    failed += 1
                    self.stderr.write(f"{where}: failed ({item.error_code}): {item.error_message}")
        if failed:
            raise CommandError(f"{failed} download{'s' if failed != 1 else ''} failed (see above).")
