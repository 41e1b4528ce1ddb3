"""Card bids on the guest page in Stripe mode, in Chromium on daphne.

https://js.stripe.com/v3/ is answered by tests/fakes/stripe.js (page.route), which confirms PaymentIntents
against the fake Stripe API (tests/fakes/stripe_server.py); that server then sends the app its signed webhooks,
as Stripe does, so the bid is authorized by billing and stands on every page through the feed."""

import uuid

import pytest
from playwright.sync_api import expect

from events import services
from events.models import Bid, LiveNight
from tests.factories import ClientFactory, EventFactory, UserFactory

GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"

pytestmark = pytest.mark.e2e


@pytest.fixture
def party(transactional_db, owner):
    """A party with two requests and a long bidding round open (so it cannot end while a test runs)."""
    event = EventFactory(client=ClientFactory(name="Carol & Chris"), title="Carol & Chris wedding", status="booked")
    LiveNight.objects.create(event=event, requests_open=True, round_seconds=1800, min_bid_cents=500)
    for title, artist in [("September", "Earth, Wind & Fire"), ("Africa", "Toto")]:
        services.song_request_create(event=event, guest_id=uuid.uuid4(), title=title, artist=artist)
    services.bidding_open(actor=owner, event=event)
    return event


def bid(page, song: str, amount: str) -> None:
    form = page.locator("#bid-form")
    form.get_by_label("Song").select_option(label=song)
    form.get_by_label("Your bid").fill(amount)
    form.get_by_role("button", name="Bid with card").click()


def pay(page, card_number: str, button: str) -> None:
    sheet = page.locator("#card-sheet")
    sheet.get_by_label("Card number").fill(card_number)
    sheet.get_by_role("button", name=button).click()


def test_a_declined_card_can_be_retried_and_the_held_bid_leads_everywhere(party, guest_page, stripe_api, live_page):
    guest = guest_page()
    guest.goto(f"/e/{party.slug}/")
    expect(guest.locator("#live-status")).to_contain_text("Live")
    expect(guest.locator("#round")).to_contain_text("You’re only charged if your song wins")
    dj = live_page(1280, 800, user=UserFactory(role="staff"))
    dj.goto(f"/events/{party.slug}/console/")
    expect(dj.locator("#live-status")).to_contain_text("Live")

    bid(guest, "September — Earth, Wind & Fire", "8.00")
    sheet = guest.locator("#card-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.get_by_role("heading")).to_have_text("Hold $8.00 on your card")
    expect(sheet).to_contain_text("held, not charged")

    pay(guest, DECLINED_CARD, "Authorize $8.00")
    expect(sheet.locator("#card-error")).to_have_text("Your card was declined. Try again, or use another card.")
    expect(guest.locator("#round .round__leader")).to_contain_text("No bids yet")

    pay(guest, GOOD_CARD, "Try again")
    expect(sheet.get_by_role("heading")).to_have_text("Your card is held")
    expect(sheet).to_contain_text("You’re only charged if your song wins the round")
    sheet.get_by_role("button", name="Done").click()
    expect(sheet).to_be_hidden()
    expect(guest.locator("#guest-banner")).to_contain_text("Your card is held for $8.00 on “September — Earth")

    # Billing's webhook authorized the bid; it stands, and the feed told every page.
    expect(guest.locator("#round .round__leader")).to_contain_text("September — Earth, Wind & Fire with $8.00")
    expect(dj.locator("#round .round__leader")).to_contain_text("September — Earth, Wind & Fire with $8.00")
    (held,) = Bid.objects.all()
    assert (held.payment, held.amount_cents) == ("authorized", 800)
    assert stripe_api.webhooks_sent == [
        ("payment_intent.payment_failed", 200),
        ("payment_intent.amount_capturable_updated", 200),
    ]
    # The card went from the page to Stripe, never to the app.
    assert not [sent for sent in guest.sent_to_app if "4242" in sent or "4000000000000002" in sent]


def test_an_outbid_hold_is_released_and_the_winner_told_when_the_round_closes(party, guest_page, live_page):
    first, second = guest_page(), guest_page()
    dj = live_page(1280, 800, user=UserFactory(role="staff"))
    for page in (first, second, dj):
        page.goto(f"/events/{party.slug}/console/" if page is dj else f"/e/{party.slug}/")
        expect(page.locator("#live-status")).to_contain_text("Live")

    bid(first, "September — Earth, Wind & Fire", "8.00")
    pay(first, GOOD_CARD, "Authorize $8.00")
    first.locator("#card-sheet").get_by_role("button", name="Done").click()
    expect(second.locator("#round .round__leader")).to_contain_text("with $8.00")

    bid(second, "Africa — Toto", "9.00")
    pay(second, GOOD_CARD, "Authorize $9.00")
    expect(first.locator("#guest-banner")).to_contain_text("You’ve been outbid")
    expect(first.locator("#guest-banner")).not_to_contain_text("Your card is held")

    dj.locator("#toggle-bidding").click()  # the DJ closes bidding: the round closes now, the highest bid wins
    expect(second.locator("#guest-banner")).to_contain_text("You won round 1! “Africa — Toto” is up next.")
    expect(second.locator("#guest-banner")).to_contain_text("Your card is charged $9.00.")
    expect(first.locator("#guest-banner")).to_contain_text(
        "Round 1 is over and your song didn’t win: the hold on your card is released. You pay nothing."
    )
    expect(first.locator("#round")).to_be_hidden()


def test_a_card_sheet_closed_unpaid_reopens_the_same_payment(party, guest_page):
    guest = guest_page()
    guest.goto(f"/e/{party.slug}/")
    expect(guest.locator("#live-status")).to_contain_text("Live")

    bid(guest, "Africa — Toto", "6.00")
    guest.locator("#card-sheet").get_by_label("Card number").wait_for()
    guest.locator("#card-sheet").get_by_role("button", name="Close").click()
    expect(guest.locator("#bid-error")).to_have_text(
        "Your bid doesn’t count until your card is authorized. Bid again to finish it."
    )

    bid(guest, "Africa — Toto", "6.00")
    pay(guest, GOOD_CARD, "Authorize $6.00")
    expect(guest.locator("#card-sheet").get_by_role("heading")).to_have_text("Your card is held")
    (held,) = Bid.objects.all()  # the second try found the first bid and its PaymentIntent again
    assert held.amount_cents == 600


def test_back_from_a_bank_redirect_the_page_reads_the_payment_intent(party, guest_page, stripe_api, client):
    client.get(f"/e/{party.slug}/")  # a guest cookie for the API
    answer = client.post(
        f"/api/v1/events/{party.slug}/bids/",
        {"request_id": str(_request(party, "Africa").pk), "amount_cents": 700, "client_request_id": "redirect-1"},
        content_type="application/json",
    ).json()
    held = Bid.objects.get(pk=answer["id"])
    stripe_api.authorize(held.payment_intent_id)  # the bank approved on its own page

    guest = guest_page()
    secret = answer["stripe"]["client_secret"]
    guest.goto(
        f"/e/{party.slug}/?card_bid={held.pk}&card_round={held.round_id}&payment_intent={held.payment_intent_id}"
        f"&payment_intent_client_secret={secret}&redirect_status=succeeded"
    )
    expect(guest.locator("#guest-banner")).to_contain_text("Your card is held for $7.00")
    assert guest.url.endswith(f"/e/{party.slug}/")  # the secret does not stay in the address bar


def _request(event, title):
    return event.song_requests.get(title=title)


def test_an_unauthorized_bid_lapses_when_the_round_closes(party, guest_page, live_page):
    guest = guest_page()
    dj = live_page(1280, 800, user=UserFactory(role="staff"))
    for page, path in [(guest, f"/e/{party.slug}/"), (dj, f"/events/{party.slug}/console/")]:
        page.goto(path)
        expect(page.locator("#live-status")).to_contain_text("Live")
    bid(guest, "September — Earth, Wind & Fire", "5.00")
    expect(guest.locator("#card-sheet").get_by_label("Card number")).to_be_visible()

    dj.locator("#toggle-bidding").click()

    expect(guest.locator("#card-sheet")).to_be_hidden()
    expect(guest.locator("#guest-banner")).to_contain_text(
        "Round 1 ended before your card was authorized: your bid didn’t count and nothing was charged."
    )
