"""Screenshots of every portal page at phone and desktop width, to look at after a design change.

Not part of the normal run (the file name does not match test_*.py); run it on purpose:

    .venv/bin/pytest -q tests/e2e/screenshots.py

The PNGs land in artifacts/screenshots/ (gitignored), named <page>-<phone|desktop>.png.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.services.consent import unsubscribe_url
from djbiz import views
from tests.e2e.conftest import PASSWORD, log_in
from tests.factories import (
    ClientFactory,
    EventFactory,
    MusicPlanFactory,
    PlannedSongFactory,
    StaffAssignmentFactory,
    TimelineItemFactory,
    TrackFactory,
    UserFactory,
    VenueFactory,
)

OUT = Path(os.environ.get("SCREENSHOTS") or Path(settings.BASE_DIR) / "artifacts" / "screenshots")
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


def _story():
    """One client with events in every state the portal shows."""
    BusinessProfile.objects.create(name="Nightfall Sound Co.", email="hello@nightfall.example", phone="+1 718 555 0100")
    today = timezone.localdate()
    carol = ClientFactory(name="Carol & Chris", user=UserFactory(email="carol@example.com", full_name="Carol Diaz"))
    glasshouse = VenueFactory(name="The Glasshouse", address="1 Pier Road", city="Brooklyn")
    wedding = EventFactory(
        client=carol,
        title="Carol & Chris wedding",
        venue=glasshouse,
        date=today + dt.timedelta(days=45),
        start_time=dt.time(17, 30),
        end_time=dt.time(23, 30),
        status="booked",
        guest_count=140,
    )
    for time, kind, title, song in [
        (dt.time(17, 30), "ceremony", "Ceremony", "Canon in D"),
        (dt.time(18, 30), "cocktail_hour", "Cocktail hour", ""),
        (dt.time(19, 30), "grand_entrance", "Grand entrance", "Signed, Sealed, Delivered"),
        (dt.time(19, 45), "first_dance", "First dance", "At Last"),
        (dt.time(21, 0), "toasts", "Toasts from the best man and maid of honour", ""),
    ]:
        TimelineItemFactory(event=wedding, time=time, kind=kind, title=title, song=song)
    plan = MusicPlanFactory(event=wedding, genres_loved="Motown, 80s, current pop", genres_avoided="Heavy metal")
    for kind, moment, title, artist in [
        ("must_play", "", "September", "Earth, Wind & Fire"),
        ("must_play", "", "Dancing Queen", "ABBA"),
        ("do_not_play", "", "Macarena", "Los del Río"),
        ("special_moment", "First dance", "At Last", "Etta James"),
    ]:
        PlannedSongFactory(plan=plan, kind=kind, moment=moment, title=title, artist=artist)
    StaffAssignmentFactory(event=wedding, staff=UserFactory(role="staff", full_name="Dana Brooks"))
    brunch = EventFactory(
        client=carol,
        title="Engagement brunch",
        venue=VenueFactory(name="Rooftop at 5th", city="Manhattan"),
        date=today + dt.timedelta(days=4),
        start_time=dt.time(11),
        end_time=dt.time(14),
        status="booked",
    )
    TimelineItemFactory(event=brunch, time=dt.time(11, 0), kind="arrival", title="Guests arrive")
    TimelineItemFactory(event=brunch, time=dt.time(12, 0), kind="toasts", title="Toasts", song="Celebration")
    anniversary = EventFactory(
        client=carol, title="Parents' anniversary dinner", venue=None, date=today + dt.timedelta(days=120)
    )
    EventFactory(client=carol, title="Company holiday party", date=today + dt.timedelta(days=70), status="cancelled")
    EventFactory(client=carol, title="Chris's 30th birthday", date=today - dt.timedelta(days=90), status="completed")
    return wedding, brunch, anniversary


@pytest.mark.e2e
@pytest.mark.parametrize("size", SIZES)
def test_screenshots(transactional_db, new_page, size):
    OUT.mkdir(parents=True, exist_ok=True)
    wedding, brunch, anniversary = _story()
    page = new_page(*SIZES[size])

    def shot(name: str) -> None:
        page.screenshot(path=OUT / f"{name}-{size}.png", full_page=True)

    page.goto("/accounts/login/")
    shot("login")
    page.locator("#password-login").get_by_label("Email").fill("carol@example.com")
    page.locator("#password-login").get_by_label("Password").fill("wrong")
    page.locator("#password-login").get_by_role("button", name="Log in").click()
    shot("login-error")

    mail.outbox.clear()
    page.locator("#magic-login").get_by_label("Email").fill("carol@example.com")
    page.get_by_role("button", name="Email me a login link").click()
    shot("login-link-sent")
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    shot("magic-link")
    page.goto("/accounts/magic/forged/")
    shot("magic-link-error")

    page.goto("/" + unsubscribe_url(channel="email", address="carol@example.com").split("/", 3)[3])
    shot("unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    shot("unsubscribed")
    page.goto("/unsubscribe/forged/")
    shot("unsubscribe-error")

    log_in(page, "carol@example.com")
    shot("portal")
    page.goto(f"/portal/events/{wedding.uuid}/")
    shot("event")
    page.goto(f"/portal/events/{brunch.uuid}/")
    shot("event-locked")
    page.goto(f"/portal/events/{wedding.uuid}/music-plan/")
    shot("music-plan-filled")
    page.screenshot(path=OUT / f"music-plan-screen-{size}.png")  # what fits on screen, with the floating save bar
    page.goto(f"/portal/events/{anniversary.uuid}/music-plan/")
    shot("music-plan-empty")
    page.locator("#id_special_moment-0-title").fill("Can't Help Falling in Love")
    page.locator("#id_must_play-0-artist").fill("Prince")
    page.get_by_role("button", name="Save music plan").click()
    shot("music-plan-error")
    page.goto(f"/portal/events/{brunch.uuid}/music-plan/")
    shot("music-plan-locked")
    page.goto(f"/portal/events/{wedding.uuid}/timeline/")
    page.locator("[data-formset-add=timeline]").click()
    shot("timeline")
    page.goto(f"/portal/events/{brunch.uuid}/timeline/")
    shot("timeline-locked")
    page.goto("/portal/no-such-page/")
    shot("404")
    page.set_content(views.server_error(RequestFactory().get("/")).content.decode())  # the URL stays on the site
    shot("500")
    page.goto(f"/e/{wedding.slug}/")
    shot("guest")


@pytest.mark.e2e
@pytest.mark.parametrize("size", SIZES)
def test_library_admin_screenshots(transactional_db, new_page, size):
    """The admin's track list (with its upload button) and the upload page."""
    OUT.mkdir(parents=True, exist_ok=True)
    UserFactory(email="maya@example.com", role="staff")
    TrackFactory(title="Valerie", artist="Amy Winehouse", camelot="11B")
    page = new_page(*SIZES[size])
    page.goto("/accounts/login/?next=/admin/music/track/")
    page.locator("#password-login").get_by_label("Email").fill("maya@example.com")
    page.locator("#password-login").get_by_label("Password").fill(PASSWORD)
    page.locator("#password-login").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/music/track/")
    page.screenshot(path=OUT / f"admin-tracks-{size}.png", full_page=True)
    page.get_by_role("link", name="Upload audio files").click()
    page.screenshot(path=OUT / f"admin-tracks-upload-{size}.png", full_page=True)
