"""Card bids in Stripe mode: authorize on the page, capture the winner at the close, release the others, the
next bid wins when a capture fails, refunds, and Stripe misbehaving (500s, dropped connections)."""

import datetime as dt

import pytest
from django.utils import timezone

from billing import services
from events.models import Bid, BiddingRound, SongRequest
from events.services import bid_refund, rounds_close_due
from tests.billing.conftest import webhook

pytestmark = pytest.mark.django_db


def place(api, event, request, amount_cents, key="k-1"):
    body = {"request_id": str(request.pk), "amount_cents": amount_cents, "client_request_id": key}
    return api.post(f"/api/v1/events/{event.slug}/bids/", body, format="json")


def authorized_bid(api, stripe_api, event, request, amount_cents, **kwargs) -> Bid:
    """A bid whose card the guest confirmed, as Stripe then reports it by webhook."""
    answer = place(api, event, request, amount_cents)
    assert answer.status_code == 201, answer.json()
    bid = Bid.objects.get(pk=answer.json()["id"])
    intent = stripe_api.authorize(bid.payment_intent_id, **kwargs)
    assert webhook(api, "payment_intent.amount_capturable_updated", intent).status_code == 200
    bid.refresh_from_db()
    assert bid.payment == "authorized"
    return bid


def close_round(django_capture_on_commit_callbacks):
    """Close the round as the scheduler would once it ended; billing settles it on commit (q2 runs inline)."""
    with django_capture_on_commit_callbacks(execute=True):
        rounds_close_due(now=timezone.now() + dt.timedelta(minutes=2))


def test_a_card_bid_starts_one_manual_payment_intent_and_a_retry_finds_it(night, songs, new_guest, stripe_api):
    guest = new_guest()
    first = place(guest, night, songs[0], 800)
    assert first.status_code == 201
    assert first.json()["payment"] == "requires_payment"
    assert first.json()["stripe"] == {
        "status": "requires_payment",
        "client_secret": first.json()["stripe"]["client_secret"],
        "publishable_key": "pk_test_fake",
    }
    again = place(guest, night, songs[0], 800)
    assert (again.status_code, again.json()) == (200, first.json())
    (intent,) = stripe_api.payment_intents.values()
    assert (intent["amount"], intent["currency"], intent["capture_method"]) == (800, "usd", "manual")
    assert intent["metadata"] == {"bid_id": first.json()["id"]}
    assert first.json()["stripe"]["client_secret"] == intent["client_secret"]


def test_a_card_bid_does_not_lead_until_it_is_authorized(night, songs, new_guest, stripe_api):
    guest = new_guest()
    place(guest, night, songs[0], 800)
    assert guest.get(f"/api/v1/events/{night.slug}/round/").json()["leader"] is None
    bid = Bid.objects.get()
    webhook(guest, "payment_intent.amount_capturable_updated", stripe_api.authorize(bid.payment_intent_id))
    leader = guest.get(f"/api/v1/events/{night.slug}/round/").json()["leader"]
    assert leader["amount_cents"] == 800
    assert SongRequest.objects.get(pk=songs[0].pk).top_bid_cents == 800


@pytest.mark.parametrize("misbehaviour", ["error_once", "drop_once"])
def test_stripe_failing_once_still_makes_one_payment_intent(night, songs, new_guest, stripe_api, misbehaviour):
    setattr(stripe_api, misbehaviour, 1)
    answer = place(new_guest(), night, songs[0], 800)
    assert answer.status_code == 201
    assert len(stripe_api.payment_intents) == 1
    assert [path for _, path in stripe_api.requests] == ["/v1/payment_intents", "/v1/payment_intents"]


def test_stripe_down_answers_503_and_the_retry_recovers(night, songs, new_guest, stripe_api):
    guest = new_guest()
    stripe_api.error_once = 3  # the call and its two retries
    down = place(guest, night, songs[0], 800)
    assert (down.status_code, down.json()["code"]) == (503, "payment_unavailable")
    again = place(guest, night, songs[0], 800)
    assert again.status_code == 200
    assert again.json()["stripe"]["client_secret"]
    assert len(stripe_api.payment_intents) == 1


def test_the_winner_is_captured_and_the_others_released(
    night, songs, new_guest, stripe_api, django_capture_on_commit_callbacks
):
    low = authorized_bid(new_guest(), stripe_api, night, songs[0], 800)
    high = authorized_bid(new_guest(), stripe_api, night, songs[1], 900)
    unconfirmed = place(new_guest(), night, songs[2], 1000).json()["id"]
    close_round(django_capture_on_commit_callbacks)
    payments = dict(Bid.objects.values_list("pk", "payment"))
    assert payments == {high.pk: "captured", low.pk: "cancelled", Bid.objects.get(pk=unconfirmed).pk: "cancelled"}
    assert stripe_api.payment_intents[high.payment_intent_id]["status"] == "succeeded"
    assert stripe_api.payment_intents[low.payment_intent_id]["status"] == "canceled"
    assert SongRequest.objects.get(pk=songs[1].pk).status == "up_next"
    # Settling again (a task re-run) changes nothing and calls nothing that changes money.
    calls = len(stripe_api.requests)
    services.round_settle(round_id=BiddingRound.objects.get(number=1).pk)
    assert [method for method, _ in stripe_api.requests[calls:]] == []


def test_a_failed_capture_makes_the_next_authorized_bid_win(
    night, songs, new_guest, stripe_api, django_capture_on_commit_callbacks
):
    second = authorized_bid(new_guest(), stripe_api, night, songs[0], 800)
    first = authorized_bid(new_guest(), stripe_api, night, songs[1], 900)
    stripe_api.fail_capture = 1
    close_round(django_capture_on_commit_callbacks)
    first.refresh_from_db()
    second.refresh_from_db()
    # Its capture was declined, then its authorization released like any losing bid's.
    assert (first.payment, first.outcome) == ("cancelled", "lost")
    assert "declined" in first.payment_error
    assert (second.payment, second.outcome) == ("captured", "won")
    assert BiddingRound.objects.get(number=1).winning_bid_id == second.pk
    statuses = dict(SongRequest.objects.values_list("pk", "status"))
    assert (statuses[songs[0].pk], statuses[songs[1].pk]) == ("up_next", "accepted")


def test_an_expired_hold_counts_as_a_failed_capture(
    night, songs, new_guest, stripe_api, django_capture_on_commit_callbacks
):
    backup = authorized_bid(new_guest(), stripe_api, night, songs[0], 800)
    expired = authorized_bid(
        new_guest(), stripe_api, night, songs[1], 900, capture_before=int(timezone.now().timestamp()) - 1
    )
    close_round(django_capture_on_commit_callbacks)
    expired.refresh_from_db()
    backup.refresh_from_db()
    assert (expired.payment, expired.outcome) == ("cancelled", "lost")
    assert "expired" in expired.payment_error
    assert (backup.payment, backup.outcome) == ("captured", "won")
    assert stripe_api.payment_intents[expired.payment_intent_id]["status"] != "succeeded"


def test_a_declined_card_never_stands_nor_wins(night, songs, new_guest, stripe_api, django_capture_on_commit_callbacks):
    guest = new_guest()
    bid_id = place(guest, night, songs[0], 800).json()["id"]
    bid = Bid.objects.get(pk=bid_id)
    webhook(guest, "payment_intent.payment_failed", stripe_api.decline(bid.payment_intent_id))
    bid.refresh_from_db()
    assert (bid.payment, bid.payment_error) == ("failed", "Your card was declined.")
    close_round(django_capture_on_commit_callbacks)
    assert BiddingRound.objects.get(number=1).winning_bid is None


def test_a_refund_asked_twice_refunds_once(
    night, songs, new_guest, stripe_api, staff_dj, django_capture_on_commit_callbacks
):
    winner = authorized_bid(new_guest(), stripe_api, night, songs[0], 800)
    close_round(django_capture_on_commit_callbacks)
    winner.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        bid_refund(actor=staff_dj, bid=winner)
    assert services.bid_refund_by_card(bid_id=winner.pk) is False  # a re-run of the task
    winner.refresh_from_db()
    assert winner.payment == "refunded"
    assert len(stripe_api.refunds) == 1


def test_the_refund_endpoint_answers_202_for_a_card(
    night, songs, new_guest, stripe_api, api_for, staff_dj, django_capture_on_commit_callbacks
):
    winner = authorized_bid(new_guest(), stripe_api, night, songs[0], 800)
    close_round(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_for(staff_dj).post(f"/api/v1/events/{night.slug}/bids/{winner.pk}/refund/")
    assert answer.status_code == 202
    winner.refresh_from_db()
    assert winner.payment == "refunded"
