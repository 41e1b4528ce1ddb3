"""A guest finds a song in the DJ's library from the request page and requests it: the request carries the
track's exact title and artist. With an empty library the search is not offered and typing works as before."""

import pytest
from playwright.sync_api import expect

from events import services
from events.models import SongRequest
from tests.factories import ClientFactory, EventFactory, TrackFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def party(transactional_db, owner):
    event = EventFactory(client=ClientFactory(name="Eve & Eli"), title="Eve & Eli wedding", status="booked")
    services.live_settings_update(actor=owner, event=event, fields={"requests_open": True})
    return event


def test_a_guest_picks_a_song_from_the_library(party, live_page):
    track = TrackFactory(title="Crazy in Love (feat. Jay-Z)", artist="Beyoncé")
    TrackFactory(title="Halo", artist="Beyoncé")
    guest = live_page()
    guest.goto(f"/e/{party.slug}/")
    expect(guest.locator("#live-status")).to_contain_text("Live")

    guest.get_by_label("Find it in the DJ’s music").fill("beyonce cra")
    guest.get_by_role("button", name="Crazy in Love (feat. Jay-Z) Beyoncé").click()
    expect(guest.get_by_label("Song title")).to_have_value("Crazy in Love (feat. Jay-Z)")
    expect(guest.get_by_label("Artist")).to_have_value("Beyoncé")
    guest.get_by_role("button", name="Send request").click()

    expect(guest.locator("#queue")).to_contain_text("Crazy in Love")
    assert SongRequest.objects.get().track == track

    guest.get_by_label("Find it in the DJ’s music").fill("nothing like it")
    expect(guest.locator("#library-results")).to_have_text("Not in the DJ’s music: type it below.")


def test_without_a_library_the_guest_types_the_song(party, live_page):
    guest = live_page()
    guest.goto(f"/e/{party.slug}/")
    expect(guest.locator("#library-search")).to_be_hidden()
    expect(guest.get_by_label("Song title")).to_be_visible()
