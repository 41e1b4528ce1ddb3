"""manage.py demo: load the demo business (see events/demo.py); safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import BusinessProfile
from events.demo import LIVE_EVENT_SLUG, LOGINS, build_demo
from events.models import Client, Event


class Command(BaseCommand):
    help = (
        "Load demo data: a DJ business with staff, clients and events around today. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when a business profile exists already."
        )
        parser.add_argument("--logins-only", action="store_true", help="Only print the demo logins.")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DJANGO_ENV=production (the demo passwords are public)."
        )

    def handle(self, *args, if_empty: bool, force: bool, logins_only: bool, **options):
        if logins_only:
            self._print_logins()
            return
        if settings.DJANGO_ENV == "production" and not force:
            raise CommandError(
                "Refusing to load demo data with DJANGO_ENV=production: its passwords are public. "
                "Add --force if you really mean it."
            )
        if if_empty and BusinessProfile.objects.exists():
            self.stdout.write("A business profile exists already, so no demo data was loaded (--if-empty).")
            return
        result = build_demo()
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result.business.name}, {Client.objects.count()} clients, "
                f"{Event.objects.count()} events. Tonight's guest page: {settings.SITE_URL}/e/{LIVE_EVENT_SLUG}/"
            )
        )
        self.stdout.write("Demo logins (role, e-mail, password):")
        self._print_logins()

    def _print_logins(self) -> None:
        for login in LOGINS:
            self.stdout.write(f"  {login.role:<7} {login.email:<30} {login.password}")
