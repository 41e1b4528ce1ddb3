"""The live night in two browsers: a guest requests a song and the DJ console shows it without a reload; the
DJ marks it playing and the guest's page shows it as now playing, also without a reload. The pages run on
daphne (the asgi_server fixture of tests/e2e/conftest.py), for their websockets."""

import uuid

import pytest
from playwright.sync_api import expect

from events import services
from tests.factories import ClientFactory, EventFactory, UserFactory


@pytest.fixture
def party(transactional_db, owner):
    event = EventFactory(client=ClientFactory(name="Carol & Chris"), title="Carol & Chris wedding", status="booked")
    services.live_settings_update(actor=owner, event=event, fields={"requests_open": True})
    return event


@pytest.mark.e2e
def test_a_request_reaches_the_console_and_now_playing_reaches_the_guest(party, live_page):
    dj = live_page(820, 1180, user=UserFactory(role="staff"))
    dj.goto(f"/events/{party.slug}/console/")
    expect(dj.locator("#live-status")).to_contain_text("Live")

    guest = live_page()
    guest.goto(f"/e/{party.slug}/")
    expect(guest.locator("#live-status")).to_contain_text("Live")
    guest.get_by_label("Song title").fill("September")
    guest.get_by_label("Artist").fill("Earth, Wind & Fire")
    guest.get_by_label("Your name").fill("Sam")
    guest.get_by_role("button", name="Send request").click()
    expect(guest.locator("#queue")).to_contain_text("September")

    dj_queue = dj.locator("#queue")
    expect(dj_queue).to_contain_text("September")  # pushed by the feed: the console was not reloaded
    dj.get_by_role("button", name="Playing: September").click()
    expect(dj.locator("#now-playing")).to_contain_text("September")

    expect(guest.locator("#now-playing")).to_contain_text("September")
    expect(guest.locator("#guest-banner")).to_contain_text("Your song is playing now")


@pytest.mark.e2e
def test_two_consoles_show_what_either_dj_did(party, live_page):
    services.song_request_create(event=party, guest_id=uuid.uuid4(), title="Valerie", artist="Amy Winehouse")
    dana = UserFactory(role="staff")
    first, second = live_page(820, 1180, user=dana), live_page(390, 844, user=dana)
    for page in (first, second):
        page.goto(f"/events/{party.slug}/console/")
        expect(page.locator("#live-status")).to_contain_text("Live")

    first.get_by_role("button", name="Up next: Valerie").click()

    for page in (first, second):
        expect(page.locator("#queue .badge--up_next")).to_have_text("Up next")
