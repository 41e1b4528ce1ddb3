"""In a real browser: a client answers the post-event survey on a phone; staff type an SMS template and see the
live length and segment count, preview an e-mail and send a campaign.
Screenshots go to /tmp/shots-campaigns/ when SHOTS is set."""

import os
from pathlib import Path

import pytest

from accounts.models import BusinessProfile
from comms.models import Campaign, MessageTemplate, Survey
from comms.services.campaigns import campaign_send_batch
from comms.services.surveys import survey_for_event
from tests.e2e.conftest import PASSWORD
from tests.factories import ClientFactory, EventFactory, UserFactory

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots-campaigns")


def _shot(page, name: str) -> None:
    if os.environ.get("SHOTS"):
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_client_answers_the_survey(transactional_db, new_page, width):
    BusinessProfile(name="Night Owl Entertainment").save()
    survey = survey_for_event(event=EventFactory(title="Sam & Alex's wedding"))
    page = new_page(width, 900)
    page.goto(f"/survey/{survey.token}/")
    _shot(page, f"survey-{width}")
    page.get_by_text("4 stars").click()
    page.locator("label.scale__option", has_text="9").first.click()
    page.get_by_label("Anything you'd like to tell us?").fill("The dance floor never emptied!")
    page.get_by_text("You may publish my comments as a testimonial").click()
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    _shot(page, f"survey-done-{width}")
    survey = Survey.objects.get()
    assert (survey.rating, survey.nps, survey.may_publish) == (4, 9, True)


@pytest.mark.parametrize("width", [390, 1280])
def test_staff_see_the_sms_length_live(transactional_db, new_page, width):
    UserFactory(role="owner", email="owner@example.com")
    template = MessageTemplate.objects.create(
        name="Reminder", slug="reminder", channel="sms", sms_body="Hi {{ client.first_name }}, see you soon!"
    )
    page = new_page(width, 900)
    page.goto("/accounts/login/")
    form = page.locator("#password-login")
    form.get_by_label("Email").fill("owner@example.com")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.goto(f"/admin/comms/messagetemplate/{template.pk}/change/")
    counter = page.locator(".sms-counter")
    assert counter.inner_text().startswith("45 characters (GSM-7), 1 segment")  # { and } take two septets
    page.locator("#id_sms_body").fill("a" * 161)
    assert counter.inner_text().startswith("161 characters (GSM-7), 2 segments — 153 per segment")
    page.locator("#id_sms_body").fill("Party time 🎉")
    assert counter.inner_text().startswith("13 characters (UCS-2), 1 segment — 70 per segment")
    _shot(page, f"template-sms-{width}")


def _log_in_owner(page) -> None:
    UserFactory(role="owner", email="owner@example.com")
    page.goto("/accounts/login/")
    form = page.locator("#password-login")
    form.get_by_label("Email").fill("owner@example.com")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [390, 1280])
def test_staff_preview_an_email_and_send_a_campaign(transactional_db, new_page, width):
    BusinessProfile(name="Night Owl Entertainment", phone="+1 555 010 2000").save()
    template = MessageTemplate.objects.create(
        name="Spring offer",
        slug="spring",
        channel="email",
        subject="Spring dates for {{ client.first_name }}",
        text_body="Hi {{ client.first_name }}, spring dates are open.",
        html_body="<h2>Hi {{ client.first_name }}!</h2><p>Spring dates are open: reply to hold yours.</p>",
    )
    for n in range(3):
        ClientFactory(email=f"c{n}@example.com")
    campaign = Campaign.objects.create(name="Spring 2027", template=template)
    page = new_page(width, 900)
    _log_in_owner(page)
    page.goto(f"/admin/comms/messagetemplate/{template.pk}/change/")
    preview = page.frame_locator("iframe[title='HTML preview']")
    preview.get_by_text("Hi Sam!").wait_for()
    assert "Night Owl Entertainment" in preview.locator("body").inner_text()
    _shot(page, f"template-email-{width}")
    if os.environ.get("SHOTS"):
        page.locator("iframe").screenshot(path=str(SHOTS / f"template-email-frame-{width}.png"))

    page.goto("/admin/comms/campaign/")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("send_now")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("1 campaign(s) starting now.").wait_for()
    campaign_send_batch(campaign_id=campaign.pk)  # what the worker does
    page.goto(f"/admin/comms/campaign/{campaign.pk}/change/")
    stats = page.locator(".field-stats")
    assert "Recipients\t3" in stats.inner_text() and "Queued\t3" in stats.inner_text()
    _shot(page, f"campaign-{width}")
