"""Two DJ consoles act on the same request at the same moment: the server takes one move and refuses the other
with a 409; the refused console says what the other DJ did, and both consoles end up showing the same state
without a reload."""

import uuid

import pytest
from playwright.sync_api import expect

from events import services
from events.models import SongRequest
from tests.factories import ClientFactory, EventFactory, UserFactory

pytestmark = pytest.mark.e2e

# Click the button in every console at one agreed instant (Date.now() is the same clock in every page).
CLICK_AT = "(button, [at]) => setTimeout(() => button.click(), Math.max(0, at - Date.now()))"


@pytest.fixture
def party(transactional_db, owner):
    event = EventFactory(client=ClientFactory(name="Carol & Chris"), title="Carol & Chris wedding", status="booked")
    services.live_settings_update(actor=owner, event=event, fields={"requests_open": True})
    services.song_request_create(event=event, guest_id=uuid.uuid4(), title="Valerie", artist="Amy Winehouse")
    return event


def test_one_dj_wins_the_other_is_told_and_both_consoles_agree(party, live_page):
    maya, leo = UserFactory(role="staff", full_name="Maya"), UserFactory(role="staff", full_name="Leo")
    consoles = {"playing": live_page(1280, 800, user=maya), "declined": live_page(390, 844, user=leo)}
    for page in consoles.values():
        page.goto(f"/events/{party.slug}/console/")
        expect(page.locator("#live-status")).to_contain_text("Live")

    def status_answer(page):
        return page.expect_response(lambda response: response.url.endswith("/status/"))

    at = consoles["playing"].evaluate("Date.now()") + 500
    with status_answer(consoles["playing"]) as playing, status_answer(consoles["declined"]) as declined:
        consoles["playing"].get_by_role("button", name="Playing: Valerie").evaluate(CLICK_AT, [at])
        consoles["declined"].get_by_role("button", name="Decline: Valerie").evaluate(CLICK_AT, [at])
    answers = {"playing": playing.value.status, "declined": declined.value.status}

    assert sorted(answers.values()) == [200, 409]  # exactly one move was taken
    winner = next(status for status, code in answers.items() if code == 200)
    loser = next(status for status in answers if status != winner)
    assert SongRequest.objects.get().status == winner
    told = {
        "playing": "Another DJ already marked “Valerie” as playing.",
        "declined": "Another DJ already declined “Valerie”.",
    }
    expect(consoles[loser].locator("#console-error .console-toast__text")).to_have_text(told[winner])
    expect(consoles[winner].locator("#console-error")).to_be_hidden()
    for page in consoles.values():  # both show the state the database has, without a reload
        if winner == "playing":
            expect(page.locator("#now-playing")).to_contain_text("Valerie")
            expect(page.locator("#queue .badge--playing")).to_have_text("Playing")
        else:
            expect(page.locator("#now-playing")).to_contain_text("Nothing marked as playing.")
            expect(page.locator("#queue")).to_have_text("No requests yet.")
