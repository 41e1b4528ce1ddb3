"""The DJ live console and the event summary: staff only, rendered from the live snapshot and the summary."""

import uuid

import pytest
from django.urls import reverse

from events import services
from events.models import Bid, BiddingRound
from events.status import BidOutcome, BidPayment
from tests.factories import MusicPlanFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["events:console", "events:summary"])
def test_anonymous_visitors_are_sent_to_log_in(client, event_a, name):
    response = client.get(reverse(name, args=[event_a.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["events:console", "events:summary"])
def test_a_client_gets_a_404_even_for_their_own_event(client, client_a, event_a, name):
    client.force_login(client_a.user)
    assert client.get(reverse(name, args=[event_a.slug])).status_code == 404


def test_the_console_shows_the_queue_switches_and_links(client, staff_dj, owner, event_a):
    services.live_settings_update(actor=owner, event=event_a, fields={"requests_open": True})
    services.song_request_create(event=event_a, guest_id=uuid.uuid4(), title="September", artist="Earth, Wind & Fire")
    client.force_login(staff_dj)
    response = client.get(reverse("events:console", args=[event_a.slug]))
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    html = response.content.decode()
    assert "September" in html
    assert 'id="toggle-requests" aria-pressed="true"' in html
    assert f'href="/e/{event_a.slug}/card/"' in html
    assert reverse("events:summary", args=[event_a.slug]) in html


def test_the_console_says_why_guests_cannot_request_when_the_hosts_said_no(client, staff_dj, event_a):
    MusicPlanFactory(event=event_a, guest_requests_allowed=False)
    client.force_login(staff_dj)
    html = client.get(reverse("events:console", args=[event_a.slug])).content.decode()
    assert "the hosts asked for no guest requests in their music plan, and that wins over this switch" in html


def test_the_console_has_no_hosts_note_while_requests_are_allowed(client, staff_dj, event_a):
    MusicPlanFactory(event=event_a)
    client.force_login(staff_dj)
    html = client.get(reverse("events:console", args=[event_a.slug])).content.decode()
    assert "requests-off-note" not in html


def test_the_summary_counts_requests_votes_bids_and_money(client, owner, event_a):
    services.live_settings_update(actor=owner, event=event_a, fields={"requests_open": True})
    played, _ = services.song_request_create(event=event_a, guest_id=uuid.uuid4(), title="Valerie", artist="")
    services.song_request_vote(event=event_a, guest_id=uuid.uuid4(), request_id=played.id)
    services.song_request_vote(event=event_a, guest_id=uuid.uuid4(), request_id=played.id)
    services.song_request_set_status(actor=owner, event=event_a, request_id=played.id, status="playing")
    services.song_request_set_status(actor=owner, event=event_a, request_id=played.id, status="played")
    bidding_round = BiddingRound.objects.create(
        event=event_a, number=1, starts_at=event_a.starts_at, ends_at=event_a.starts_at, closed_at=event_a.starts_at
    )
    for amount, payment in [(1500, BidPayment.PAID_AT_BOOTH), (2500, BidPayment.PLEDGE)]:
        Bid.objects.create(
            round=bidding_round,
            request=played,
            guest_id=uuid.uuid4(),
            amount_cents=amount,
            currency="USD",
            client_request_id=str(amount),
            outcome=BidOutcome.WON,
            payment=payment,
        )
    client.force_login(owner)

    html = client.get(reverse("events:summary", args=[event_a.slug])).content.decode()

    assert "<dt>Requests</dt><dd>1</dd>" in html
    assert "<dt>Votes</dt><dd>3</dd>" in html  # the requester's own vote counts too
    assert "<dt>Bids</dt><dd>2</dd>" in html
    assert "<dt>Money taken</dt><dd>$15.00</dd>" in html  # the pledge is not paid yet
    assert "Pledge (pay at the booth)</th><td>1</td><td>$25.00</td>" in html
    assert "Valerie · <strong>3</strong> votes" in html
