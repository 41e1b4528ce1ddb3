from django.core.management.base import BaseCommand

from djbiz.schedules import sync_schedules


class Command(BaseCommand):
    help = "Make django-q2's schedules match the SCHEDULES declared in each app's tasks.py."

    def handle(self, *args, **options):
        kept, removed = sync_schedules()
        for name in kept:
            self.stdout.write(f"scheduled {name}")
        for name in removed:
            self.stdout.write(f"removed {name}")
