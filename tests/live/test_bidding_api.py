"""The bidding API as the guest page and the mobile app use it (pledge mode), and the staff endpoints."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from events.guests import HEADER, sign_guest_id
from events.models import Bid, BiddingRound, LiveNight, SongRequest
from events.services import bidding_open, rounds_close_due

pytestmark = pytest.mark.django_db


def song(event, title: str) -> SongRequest:
    return SongRequest.objects.create(event=event, guest_id=uuid.uuid4(), title=title, normalized=title.lower())


@pytest.fixture
def night(event_a, staff_dj):
    LiveNight.objects.create(event=event_a)
    bidding_open(actor=staff_dj, event=event_a)
    return event_a


@pytest.fixture
def guest(api_for):
    """An anonymous guest with an id, as the app sends it (X-Guest-Id)."""
    api = api_for(None)
    api.credentials(**{f"HTTP_{HEADER.upper().replace('-', '_')}": sign_guest_id(uuid.uuid4())})
    return api


def post_bid(api, event, request, amount_cents, key="bid-1"):
    body = {"request_id": str(request.pk), "amount_cents": amount_cents, "client_request_id": key}
    return api.post(f"/api/v1/events/{event.slug}/bids/", body, format="json")


def test_the_open_round_is_shown_and_404_when_bidding_is_closed(night, guest, event_b):
    answer = guest.get(f"/api/v1/events/{night.slug}/round/")
    assert answer.status_code == 200
    assert set(answer.json()) == {"id", "number", "ends_at", "leader", "bids_count", "min_next_bid_cents", "currency"}
    assert answer.json()["leader"] is None
    assert guest.get(f"/api/v1/events/{event_b.slug}/round/").status_code == 404
    assert guest.get("/api/v1/events/no-such-party/round/").status_code == 404


def test_a_guest_bids_and_leads_the_round(night, guest):
    request = song(night, "September")
    answer = post_bid(guest, night, request, 800)
    assert answer.status_code == 201
    body = answer.json()
    assert {key: body[key] for key in ("request_id", "amount_cents", "currency", "payment", "outcome")} == {
        "request_id": str(request.pk),
        "amount_cents": 800,
        "currency": "USD",
        "payment": "pledge",
        "outcome": "open",
    }
    assert body["round_id"] == guest.get(f"/api/v1/events/{night.slug}/round/").json()["id"]
    leader = guest.get(f"/api/v1/events/{night.slug}/round/").json()["leader"]
    assert (leader["request_id"], leader["amount_cents"]) == (str(request.pk), 800)


def test_a_retried_post_answers_200_with_the_same_bid(night, guest):
    request = song(night, "September")
    first = post_bid(guest, night, request, 800)
    again = post_bid(guest, night, request, 800)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Bid.objects.count() == 1


def test_a_new_guest_gets_a_cookie_and_a_retry_with_it_is_the_same_bid(night, api_for):
    browser, request = api_for(None), song(night, "September")
    first = post_bid(browser, night, request, 800)
    assert first.status_code == 201
    assert first.headers[HEADER]
    again = post_bid(browser, night, request, 800)
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])


def test_a_bid_too_low_is_409_with_the_minimum(night, guest):
    answer = post_bid(guest, night, song(night, "September"), 100)
    assert answer.status_code == 409
    assert answer.json() == {"detail": "bid too low (minimum is $5.00)", "code": "bid_too_low"}


def test_a_bid_after_the_round_ended_is_409(night, guest):
    request = song(night, "September")
    rounds_close_due(now=timezone.now() + dt.timedelta(minutes=2))
    BiddingRound.objects.filter(closed_at=None).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    answer = post_bid(guest, night, request, 800)
    assert answer.status_code == 409
    assert answer.json()["code"] == "round_closed"


def test_a_bid_when_bidding_is_closed_is_409(event_a, guest):
    answer = post_bid(guest, event_a, song(event_a, "September"), 800)
    assert (answer.status_code, answer.json()["detail"]) == (409, "bidding is closed")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount_cents": 800, "client_request_id": "k"}, "request_id"),
        ({"request_id": "nope", "amount_cents": 800, "client_request_id": "k"}, "request_id"),
        ({"request_id": str(uuid.uuid4()), "amount_cents": 800, "client_request_id": "k"}, "request_id"),
        ({"request_id": "REQ", "amount_cents": "lots", "client_request_id": "k"}, "amount_cents"),
        ({"request_id": "REQ", "amount_cents": 0, "client_request_id": "k"}, "amount_cents"),
        ({"request_id": "REQ", "amount_cents": 800}, "client_request_id"),
        ({"request_id": "REQ", "amount_cents": 800, "client_request_id": "x" * 65}, "client_request_id"),
    ],
)
def test_bad_input_is_400_naming_the_field(night, guest, body, field):
    request = song(night, "September")
    body = {key: (str(request.pk) if value == "REQ" else value) for key, value in body.items()}
    answer = guest.post(f"/api/v1/events/{night.slug}/bids/", body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()


def test_guests_are_throttled(night, guest, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "guest": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    codes = [guest.get(f"/api/v1/events/{night.slug}/round/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_staff_open_and_close_bidding(event_a, api_for, staff_dj):
    api = api_for(staff_dj)
    opened = api.post(f"/api/v1/events/{event_a.slug}/bidding/", {"open": True}, format="json")
    assert opened.status_code == 200
    assert opened.json()["bidding_open"] is True
    assert opened.json()["round"]["number"] == 1
    closed = api.post(f"/api/v1/events/{event_a.slug}/bidding/", {"open": False}, format="json")
    assert closed.json() == {"bidding_open": False, "round": None}
    assert api.post(f"/api/v1/events/{event_a.slug}/bidding/", {}, format="json").status_code == 400


def test_only_business_users_switch_bidding_or_settle_bids(event_a, api_for, client_a):
    url = f"/api/v1/events/{event_a.slug}/bidding/"
    assert api_for(None).post(url, {"open": True}, format="json").status_code in (401, 403)
    assert api_for(client_a.user).post(url, {"open": True}, format="json").status_code == 403


def test_staff_mark_a_pledge_paid_then_refund_it(night, guest, api_for, staff_dj, client_a):
    bid_id = post_bid(guest, night, song(night, "September"), 800).json()["id"]
    rounds_close_due(now=timezone.now() + dt.timedelta(minutes=2))
    api = api_for(staff_dj)
    assert api_for(client_a.user).post(f"/api/v1/events/{night.slug}/bids/{bid_id}/paid/").status_code == 403
    paid = api.post(f"/api/v1/events/{night.slug}/bids/{bid_id}/paid/")
    assert (paid.status_code, paid.json()["payment"]) == (200, "paid_at_booth")
    refunded = api.post(f"/api/v1/events/{night.slug}/bids/{bid_id}/refund/")
    assert (refunded.status_code, refunded.json()["payment"]) == (200, "refunded")
    again = api.post(f"/api/v1/events/{night.slug}/bids/{bid_id}/refund/")
    assert again.status_code == 409


def test_a_bid_of_another_event_is_404(night, event_b, guest, api_for, staff_dj):
    bid_id = post_bid(guest, night, song(night, "September"), 800).json()["id"]
    assert api_for(staff_dj).post(f"/api/v1/events/{event_b.slug}/bids/{bid_id}/paid/").status_code == 404
