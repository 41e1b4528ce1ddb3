"""Screenshots of the live-night pages in the states that are hard to reach by hand: the guest page in Stripe mode
(card sheet open, declined, held; outbid, won and released banners), the console's "another DJ already" message,
and the hosts' "no guest requests" notice. At phone and desktop width, to look at after a design change.

Not part of the normal run (the file name does not match test_*.py); run it on purpose:

    .venv/bin/pytest -q tests/e2e/screenshots_live.py            # PNGs in artifacts/screenshots/
    SCREENSHOTS=/tmp/shots .venv/bin/pytest -q tests/e2e/screenshots_live.py

named live-<state>-<phone|desktop>.png. Stripe's real Payment Element is an iframe; the fake one
(tests/fakes/stripe.js) has the same fields, so the sheet's layout is close to the real thing.
"""

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import BusinessProfile
from events import services
from events.models import LiveNight
from tests.e2e.test_card_bids import DECLINED_CARD, GOOD_CARD, bid, pay
from tests.e2e.test_pre_party_review import pre_party_event
from tests.e2e.test_two_djs import CLICK_AT
from tests.factories import ClientFactory, EventFactory, MusicPlanFactory, TrackFactory, UserFactory

OUT = Path(os.environ.get("SCREENSHOTS") or Path(settings.BASE_DIR) / "artifacts" / "screenshots")
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


@pytest.fixture
def party(transactional_db, owner):
    BusinessProfile.objects.create(name="Nightfall Sound Co.", email="hello@nightfall.example")
    event = EventFactory(client=ClientFactory(name="Carol & Chris"), title="Carol & Chris wedding", status="booked")
    LiveNight.objects.create(event=event, requests_open=True, round_seconds=1800, min_bid_cents=500)
    for title, artist, name in [
        ("September", "Earth, Wind & Fire", "Sam"),
        ("Africa", "Toto", ""),
        ("Dancing Queen", "ABBA", "Priya"),
    ]:
        services.song_request_create(event=event, guest_id=uuid.uuid4(), title=title, artist=artist, guest_name=name)
    services.bidding_open(actor=owner, event=event)
    return event


@pytest.mark.e2e
@pytest.mark.parametrize("size", SIZES)
def test_card_bid_screenshots(party, guest_page, live_page, size):
    OUT.mkdir(parents=True, exist_ok=True)
    guest, rival = guest_page(*SIZES[size]), guest_page()
    dj = live_page(1280, 800, user=UserFactory(role="staff"))
    for page in (guest, rival, dj):
        page.goto(f"/events/{party.slug}/console/" if page is dj else f"/e/{party.slug}/")
        expect(page.locator("#live-status")).to_contain_text("Live")

    def shot(name: str, *, full_page: bool = False) -> None:
        guest.screenshot(path=OUT / f"live-{name}-{size}.png", full_page=full_page)

    shot("card-page", full_page=True)
    bid(guest, "September — Earth, Wind & Fire", "8.00")
    expect(guest.locator("#card-sheet").get_by_label("Card number")).to_be_visible()
    shot("card-sheet")
    pay(guest, DECLINED_CARD, "Authorize $8.00")
    expect(guest.locator("#card-error")).to_be_visible()
    shot("card-declined")
    pay(guest, GOOD_CARD, "Try again")
    expect(guest.locator("#card-sheet").get_by_role("heading")).to_have_text("Your card is held")
    shot("card-held")
    guest.locator("#card-sheet").get_by_role("button", name="Done").click()
    expect(guest.locator("#round .round__leader")).to_contain_text("with $8.00")
    shot("card-held-banner")

    bid(rival, "Africa — Toto", "9.00")
    pay(rival, GOOD_CARD, "Authorize $9.00")
    expect(guest.locator("#guest-banner")).to_contain_text("You’ve been outbid")
    shot("card-outbid")
    bid(guest, "September — Earth, Wind & Fire", "10.00")
    pay(guest, GOOD_CARD, "Authorize $10.00")
    guest.locator("#card-sheet").get_by_role("button", name="Done").click()
    dj.locator("#toggle-bidding").click()
    expect(guest.locator("#guest-banner")).to_contain_text("You won round 1!")
    shot("card-won")
    rival.set_viewport_size({"width": SIZES[size][0], "height": SIZES[size][1]})
    expect(rival.locator("#guest-banner")).to_contain_text("the hold on your card is released")
    rival.screenshot(path=OUT / f"live-card-released-{size}.png")


@pytest.mark.e2e
@pytest.mark.parametrize("size", SIZES)
def test_console_conflict_screenshots(party, live_page, size):
    """Two consoles tap at the same instant (as in test_two_djs.py); the one refused is photographed."""
    OUT.mkdir(parents=True, exist_ok=True)
    consoles = {
        "playing": live_page(*SIZES[size], user=UserFactory(role="staff")),
        "declined": live_page(*SIZES[size], user=UserFactory(role="staff")),
    }
    for page in consoles.values():
        page.goto(f"/events/{party.slug}/console/")
        expect(page.locator("#live-status")).to_contain_text("Live")
    at = consoles["playing"].evaluate("Date.now()") + 500
    with (
        consoles["playing"].expect_response(lambda response: response.url.endswith("/status/")) as playing,
        consoles["declined"].expect_response(lambda response: response.url.endswith("/status/")),
    ):
        consoles["playing"].get_by_role("button", name="Playing: September").evaluate(CLICK_AT, [at])
        consoles["declined"].get_by_role("button", name="Decline: September").evaluate(CLICK_AT, [at])
    loser = consoles["playing" if playing.value.status == 409 else "declined"]
    expect(loser.locator("#console-error")).to_be_visible()
    loser.screenshot(path=OUT / f"live-console-conflict-{size}.png")


@pytest.mark.e2e
@pytest.mark.parametrize("size", SIZES)
def test_hosts_said_no_screenshots(party, live_page, size):
    OUT.mkdir(parents=True, exist_ok=True)
    MusicPlanFactory(event=party, guest_requests_allowed=False)
    guest = live_page(*SIZES[size])
    guest.goto(f"/e/{party.slug}/")
    guest.screenshot(path=OUT / f"live-hosts-no-requests-{size}.png", full_page=True)
    dj = live_page(*SIZES[size], user=UserFactory(role="staff"))
    dj.goto(f"/events/{party.slug}/console/")
    dj.screenshot(path=OUT / f"live-console-hosts-no-requests-{size}.png")


@pytest.mark.e2e
@pytest.mark.parametrize("size", SIZES)
def test_pre_party_review_screenshots(transactional_db, owner, live_page, size):
    """The console with pre-party and planned requests marked."""
    OUT.mkdir(parents=True, exist_ok=True)
    event = pre_party_event(owner)
    page = live_page(*SIZES[size], user=UserFactory(role="staff"))
    page.goto(f"/events/{event.slug}/console/")
    expect(page.locator("#queue .badge--special-moment")).to_be_visible()
    page.locator("#queue").scroll_into_view_if_needed()
    page.screenshot(path=OUT / f"live-console-pre-party-{size}.png", full_page=True)


@pytest.mark.e2e
@pytest.mark.parametrize("size", SIZES)
def test_library_search_screenshots(party, live_page, size):
    """The guest page's library search with results."""
    OUT.mkdir(parents=True, exist_ok=True)
    for title, artist in [("Crazy in Love (feat. Jay-Z)", "Beyoncé"), ("Halo", "Beyoncé"), ("Love On Top", "Beyoncé")]:
        TrackFactory(title=title, artist=artist)
    page = live_page(*SIZES[size])
    page.goto(f"/e/{party.slug}/")
    page.get_by_label("Find it in the DJ’s music").fill("beyonce")
    expect(page.locator(".library-result")).to_have_count(3)
    page.locator("#library-search").scroll_into_view_if_needed()
    page.screenshot(path=OUT / f"live-library-search-{size}.png")
