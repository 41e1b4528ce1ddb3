"""The guest page /e/<slug>/ on the night: rendered from the live snapshot, so it reads before its script runs."""

import uuid

import pytest
from django.urls import reverse

from events import services
from events.guests import COOKIE_NAME, guest_id_from_token
from events.models import LiveNight
from tests.factories import MusicPlanFactory

pytestmark = pytest.mark.django_db


def _open_requests(event, owner, **fields):
    services.live_settings_update(actor=owner, event=event, fields={"requests_open": True, **fields})


def test_a_new_guest_gets_their_cookie_and_a_csrf_token(client, event_a):
    response = client.get(reverse("events:guest", args=[event_a.slug]))
    assert response.status_code == 200
    assert COOKIE_NAME in response.cookies
    assert "csrftoken" in response.cookies


def test_closed_requests_say_so(client, event_a):
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert "Requests are closed right now" in html
    assert 'id="request-form" class="stack" hidden' in html


def test_the_queue_now_playing_and_the_guests_allowance_are_rendered(client, event_a, owner):
    _open_requests(event_a, owner, requests_per_guest=3, request_cooldown_seconds=0)
    client.get(reverse("events:guest", args=[event_a.slug]))  # the guest's cookie
    guest_id = _guest_id(client)
    mine, _ = services.song_request_create(
        event=event_a, guest_id=guest_id, title="September", artist="Earth, Wind & Fire"
    )
    other, _ = services.song_request_create(
        event=event_a, guest_id=_other_guest(), title="Dancing Queen", artist="ABBA"
    )
    services.song_request_set_status(actor=owner, event=event_a, request_id=other.id, status="playing")
    services.song_request_set_status(actor=owner, event=event_a, request_id=mine.id, status="up_next")

    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()

    assert "Your song is up next: September — Earth, Wind &amp; Fire." in html
    assert '<p class="now-playing__title">Dancing Queen</p>' in html
    assert "You have 2 requests left." in html
    assert 'id="requests-closed" class="closed-note" hidden' in html


def test_an_announcement_is_shown(client, event_a, owner):
    services.announcement_post(actor=owner, event=event_a, text="Cake in the garden at ten")
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert "Cake in the garden at ten" in html


def test_an_open_round_shows_the_pledge_terms(client, event_a, owner):
    _open_requests(event_a, owner)
    services.song_request_create(event=event_a, guest_id=_other_guest(), title="Valerie", artist="Amy Winehouse")
    services.bidding_open(actor=owner, event=event_a)
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert "pay the DJ at the booth if you win" in html
    assert "Round 1 ends in" in html
    assert LiveNight.objects.get(event=event_a).bidding_open


def test_pledge_mode_says_so_and_loads_nothing_from_stripe(client, event_a, owner):
    _open_requests(event_a, owner)
    services.bidding_open(actor=owner, event=event_a)
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert "<strong>Pledge:</strong> pay the DJ at the booth if you win." in html
    assert ">Pledge</button>" in html
    assert 'data-payments="pledge"' in html
    assert "stripe" not in html.lower()  # no Stripe.js, no card sheet, no key


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"


def test_stripe_mode_offers_card_bids_with_the_publishable_key_only(client, event_a, owner, stripe_keys):
    _open_requests(event_a, owner)
    services.bidding_open(actor=owner, event=event_a)
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert 'data-payments="card" data-stripe-key="pk_test_fake"' in html
    assert "You’re only charged if your song wins the round" in html
    assert ">Bid with card</button>" in html
    assert '<dialog id="card-sheet"' in html
    assert "js/live-card.js" in html
    assert "sk_test_fake" not in html


def test_the_hosts_no_requests_wish_shows_a_notice_instead_of_the_form(client, event_a, owner):
    _open_requests(event_a, owner)  # the DJ's switch is open, but the hosts' wish wins
    MusicPlanFactory(event=event_a, guest_requests_allowed=False)
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert "No song requests tonight: the hosts have planned the music with the DJ." in html
    assert 'data-requests-off="hosts"' in html
    assert 'id="request-form"' not in html
    assert "No requests tonight: the DJ has the music covered." in html


def test_the_pre_party_link_shows_the_hosts_notice_instead_of_the_pin_form(client, event_a, owner):
    services.live_settings_update(actor=owner, event=event_a, fields={"request_pin": "2468"})  # shared early
    MusicPlanFactory(event=event_a, guest_requests_allowed=False)
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert "No song requests tonight" in html
    assert "PIN from the host" not in html


def test_requests_allowed_by_the_hosts_keep_the_form(client, event_a, owner):
    _open_requests(event_a, owner)
    MusicPlanFactory(event=event_a, guest_requests_allowed=True)
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert 'id="request-form" class="stack" novalidate' in html
    assert "No song requests tonight" not in html


def test_guest_text_is_escaped(client, event_a, owner):
    _open_requests(event_a, owner)
    services.song_request_create(event=event_a, guest_id=_other_guest(), title="<script>alert(1)</script>", artist="")
    html = client.get(reverse("events:guest", args=[event_a.slug])).content.decode()
    assert "<script>alert(1)</script>" not in html


def _guest_id(client) -> uuid.UUID:
    return guest_id_from_token(client.cookies[COOKIE_NAME].value)


def _other_guest() -> uuid.UUID:
    return uuid.uuid4()
