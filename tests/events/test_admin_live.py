"""The live-night admin: the bid and request actions go through the services and report refusals per row."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Bid, LiveNight, SongRequest
from events.services import bid_place, bidding_open, rounds_close_due
from tests.factories import LiveNightFactory, SongRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(event_a, staff_dj):
    """A closed round of pledges: September won with 900, Jolene lost with 700."""
    LiveNightFactory(event=event_a)
    won, lost = SongRequestFactory(event=event_a, title="September"), SongRequestFactory(event=event_a, title="Jolene")
    now = timezone.now()
    bidding_open(actor=staff_dj, event=event_a, now=now - dt.timedelta(seconds=90))
    for song, amount in ((lost, 700), (won, 900)):
        bid_place(
            event=event_a,
            guest_id=uuid.uuid4(),
            request_id=song.pk,
            amount_cents=amount,
            client_request_id="k",
            now=now - dt.timedelta(seconds=60),
        )
    rounds_close_due(now=now)
    return Bid.objects.get(request=won), Bid.objects.get(request=lost)


def run_action(client, model: str, action: str, pks) -> list[str]:
    response = client.post(
        reverse(f"admin:events_{model}_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks]},
        follow=True,  # the changelist shows the messages (and so they are not shown again)
    )
    assert response.redirect_chain[0][1] == 302
    return [str(message) for message in response.context["messages"]]


def test_a_staff_dj_marks_the_winning_pledge_paid_at_the_booth(client, staff_dj, closed_round):
    winner, _ = closed_round
    client.force_login(staff_dj)
    assert run_action(client, "bid", "mark_paid", [winner.pk]) == ["1 bid marked paid at the booth."]
    winner.refresh_from_db()
    assert winner.payment == "paid_at_booth"


def test_a_refused_bid_is_reported_as_a_message_and_the_others_still_go_through(client, staff_dj, closed_round):
    winner, loser = closed_round
    client.force_login(staff_dj)
    reported = run_action(client, "bid", "mark_paid", [winner.pk, loser.pk])
    assert sorted(reported) == [
        "1 bid marked paid at the booth.",
        "Jolene — Some Artist ($7.00): Only a winning bid can be marked paid.",
    ]
    loser.refresh_from_db()
    assert loser.payment == "pledge"


def test_refunding_cash_paid_at_the_booth_and_refusing_an_unpaid_pledge(client, staff_dj, closed_round):
    winner, _ = closed_round
    client.force_login(staff_dj)
    assert run_action(client, "bid", "refund", [winner.pk]) == [
        "September — Some Artist ($9.00): This bid cannot be refunded: its payment is pledge (pay at the booth)."
    ]
    run_action(client, "bid", "mark_paid", [winner.pk])
    assert run_action(client, "bid", "refund", [winner.pk])[0].startswith("1 bid refunded")
    winner.refresh_from_db()
    assert winner.payment == "refunded"


def test_declining_requests_goes_through_the_service(client, staff_dj, event_a):
    LiveNightFactory(event=event_a)
    song = SongRequestFactory(event=event_a, title="Macarena")
    client.force_login(staff_dj)
    assert run_action(client, "songrequest", "decline", [song.pk]) == ["Marked 1 request declined."]
    assert SongRequest.objects.get(pk=song.pk).status == "declined"
    assert run_action(client, "songrequest", "decline", [song.pk])[0].startswith(
        "“Macarena — Some Artist” was not changed"
    )
    assert LiveNight.objects.get(event=event_a).sequence > 0  # guests' pages were told


def test_the_bid_list_shows_money_in_the_bid_currency_and_the_forms_are_view_only(client, staff_dj, closed_round):
    winner, _ = closed_round
    client.force_login(staff_dj)
    page = client.get(reverse("admin:events_bid_changelist")).content.decode()
    assert "$9.00" in page and "$7.00" in page
    form = client.get(reverse("admin:events_bid_change", args=[winner.pk]))
    assert form.status_code == 200
    assert 'name="_save"' not in form.content.decode()


def test_a_dj_opens_requests_and_bidding_from_the_live_settings_form(client, staff_dj, event_a):
    live = LiveNightFactory(event=event_a, requests_open=False)
    client.force_login(staff_dj)
    form = {
        "requests_open": "on",
        "request_pin": "",
        "requests_per_guest": 5,
        "request_cooldown_seconds": 60,
        "bidding_open": "on",
        "round_seconds": 90,
        "min_bid_cents": 500,
        "min_increment_cents": 100,
    }
    response = client.post(reverse("admin:events_livenight_change", args=[live.pk]), form)
    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.requests_open, live.requests_per_guest, live.bidding_open, live.round_seconds) == (True, 5, True, 90)
    (bidding_round,) = event_a.bidding_rounds.all()
    assert bidding_round.ends_at - bidding_round.starts_at == dt.timedelta(seconds=90)
    assert live.sequence >= 2  # guests' pages heard about both switches
