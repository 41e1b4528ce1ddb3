"""A recipient follows the unsubscribe link of a marketing e-mail in a real browser and is opted out."""

import pytest

from accounts.models import BusinessProfile
from comms.models import OptOut
from comms.services.outbox import message_queue

pytestmark = pytest.mark.e2e


def test_the_unsubscribe_link_of_a_newsletter_opts_out(transactional_db, new_page):
    BusinessProfile(name="Night Owl Entertainment").save()
    newsletter = message_queue(channel="email", to="carol@example.com", body="Our 2027 packages", purpose="marketing")
    link = newsletter.headers["List-Unsubscribe"].strip("<>")
    page = new_page(390, 844)
    page.goto("/" + link.split("/", 3)[3])
    assert "ca•••@example.com" in page.locator("main").inner_text()
    assert not OptOut.objects.exists()
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You’re unsubscribed").wait_for()
    assert OptOut.objects.get().address == "carol@example.com"
