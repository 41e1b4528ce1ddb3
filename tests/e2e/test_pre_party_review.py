"""The DJ reviews the songs guests requested before the party with the client's music plan: the console marks
pre-party requests and the ones in the plan (also a request that arrives while the console is open), and can
show the pre-party ones alone."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events import services
from events.models import SongRequest
from tests.factories import ClientFactory, EventFactory, MusicPlanFactory, PlannedSongFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def party(transactional_db, owner):
    return pre_party_event(owner)


def pre_party_event(owner):
    """An event ten days away, two requests made early ("At Last" is the first dance), one made on the night."""
    event = EventFactory(
        client=ClientFactory(name="Dana & Dev"),
        title="Dana & Dev wedding",
        status="booked",
        date=timezone.localdate() + timedelta(days=10),
    )
    plan = MusicPlanFactory(event=event)
    PlannedSongFactory(plan=plan, kind="special_moment", moment="First dance", title="At Last", artist="Etta James")
    PlannedSongFactory(plan=plan, kind="must_play", title="September", artist="Earth, Wind & Fire")
    services.live_settings_update(actor=owner, event=event, fields={"requests_open": True})
    for title in ("At Last", "Valerie"):
        assert services.song_request_create(event=event, guest_id=uuid.uuid4(), title=title)[0].pre_party
    SongRequest.objects.filter(title="Valerie").update(pre_party=False)  # as if asked for on the night
    return event


def test_the_console_marks_pre_party_and_planned_requests(party, live_page, staff_dj):
    page = live_page(1280, 800, user=staff_dj)
    page.goto(f"/events/{party.slug}/console/")
    expect(page.locator("#live-status")).to_contain_text("Live")
    at_last = page.locator("#queue li", has_text="At Last")
    expect(at_last.locator(".badge--pre-party")).to_have_text("Before the party")
    expect(at_last.locator(".badge--special-moment")).to_have_text("Special moment: First dance")
    valerie = page.locator("#queue li", has_text="Valerie")
    expect(valerie.locator(".badge--pre-party, .badge--plan")).to_have_count(0)

    guest = live_page(390, 844)  # a guest asks through the API while the console is open
    answer = guest.request.post(
        f"/api/v1/events/{party.slug}/requests/", data={"title": "september", "artist": "earth wind and fire"}
    )
    assert answer.status == 201
    september = page.locator("#queue li", has_text="september")
    expect(september.locator(".badge--must-play")).to_have_text("Must play")  # matched without a reload

    page.get_by_role("button", name="Before the party").click()
    expect(page.get_by_role("button", name="Before the party")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#queue .queue__title")).to_have_text(["At Last", "september"])
