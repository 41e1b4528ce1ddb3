"""A client logs in, fills in the music plan of their event in a real browser and finds it saved."""

import pytest
from playwright.sync_api import expect

from events.models import MusicPlan
from tests.e2e.conftest import log_in
from tests.factories import ClientFactory, EventFactory, UserFactory


@pytest.mark.e2e
def test_client_fills_in_the_music_plan_and_sees_it_after_a_reload(transactional_db, new_page):
    client = ClientFactory(name="Carol & Chris", user=UserFactory(email="carol@example.com"))
    event = EventFactory(client=client, title="Carol & Chris wedding")
    page = new_page()

    log_in(page, "carol@example.com")
    page.get_by_role("link", name="Carol & Chris wedding").click()
    page.get_by_role("link", name="Edit music plan").click()
    expect(page.get_by_role("heading", name="Music plan", exact=True)).to_be_visible()

    page.get_by_label("Music you love").fill("Motown, 80s")
    page.get_by_label("Clean versions only").check()
    page.locator("#id_must_play-0-title").fill("September")
    page.locator("#id_must_play-0-artist").fill("Earth, Wind & Fire")
    page.locator("[data-formset-add=must_play]").click()  # a second must-play row, added by formset.js
    page.locator("#id_must_play-1-title").fill("Dancing Queen")
    page.locator("#id_do_not_play-0-title").fill("Macarena")
    page.locator("#id_special_moment-0-moment").fill("First dance")
    page.locator("#id_special_moment-0-title").fill("At Last")
    page.locator("#id_special_moment-0-artist").fill("Etta James")
    page.get_by_role("button", name="Save music plan").click()

    expect(page.get_by_text("Music plan saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Music you love")).to_have_value("Motown, 80s")
    expect(page.get_by_label("Clean versions only")).to_be_checked()
    expect(page.locator("#id_must_play-0-title")).to_have_value("September")
    expect(page.locator("#id_must_play-0-artist")).to_have_value("Earth, Wind & Fire")
    expect(page.locator("#id_must_play-1-title")).to_have_value("Dancing Queen")
    expect(page.locator("#id_do_not_play-0-title")).to_have_value("Macarena")
    expect(page.locator("#id_special_moment-0-moment")).to_have_value("First dance")
    expect(page.locator("#id_special_moment-0-title")).to_have_value("At Last")

    plan = MusicPlan.objects.get(event=event)
    assert [(song.kind, song.title) for song in plan.songs.all()] == [
        ("do_not_play", "Macarena"),
        ("must_play", "September"),
        ("must_play", "Dancing Queen"),
        ("special_moment", "At Last"),
    ]
