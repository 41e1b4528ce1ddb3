"""The public guest page /e/<slug>/ (song requests arrive with the live-night pages)."""

import re

from django.urls import reverse

from events.services import event_change_status
from tests.factories import EventFactory


def test_guest_page_is_public_and_shows_the_event_title(client, event_a):
    response = client.get(reverse("events:guest", args=[event_a.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice &amp; Alex wedding" in html
    assert "Request a song" in html
    assert 'class="theme-night live-page"' in html
    assert "Log out" not in html


def test_guest_page_does_not_leak_private_details(client, client_a):
    event = EventFactory(client=client_a, title="Summer Soirée", notes="Mother pays the balance", guest_count=150)
    html = client.get(reverse("events:guest", args=[event.slug])).content.decode()
    assert "Summer Soirée" in html
    for private in ("Alice &amp; Alex", "alice@example.com", "pays the balance", "2,500", str(event.uuid)):
        assert private not in html
    # As a number on the page, not inside the random hex of the guest's tag (which once held "150").
    assert not re.search(r"(?<![0-9a-f])150(?![0-9a-f])", html)


def test_unknown_slug_is_a_404(client, db):
    assert client.get(reverse("events:guest", args=["no-such-party"])).status_code == 404


def test_a_cancelled_event_has_no_guest_page(client, owner, event_a):
    event_change_status(actor=owner, event=event_a, status="cancelled")
    assert client.get(reverse("events:guest", args=[event_a.slug])).status_code == 404
