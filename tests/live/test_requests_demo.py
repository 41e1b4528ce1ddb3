"""manage.py demo makes tonight's party live: requests and bidding open, a few requests with votes."""

from io import StringIO

import pytest
from django.core.management import call_command

from events.bidding_selectors import open_round_summary
from events.models import Event, LiveNight, SongRequest, Vote

pytestmark = pytest.mark.django_db


def _demo() -> None:
    call_command("demo", stdout=StringIO())


def test_the_demo_party_is_live_with_requests_and_votes():
    _demo()
    live = LiveNight.objects.get(event__slug="demo-party")
    assert (live.requests_open, live.bidding_open) == (True, True)
    requests = SongRequest.objects.filter(event__slug="demo-party")
    assert 4 <= requests.count() <= 6
    assert requests.filter(votes_count__gt=1).count() >= 4
    assert all(request.votes_count == request.votes.count() for request in requests)


def test_running_the_demo_again_adds_no_requests_or_votes():
    _demo()
    before = (
        SongRequest.objects.count(),
        Vote.objects.count(),
        LiveNight.objects.get(event__slug="demo-party").sequence,
    )
    _demo()
    after = (
        SongRequest.objects.count(),
        Vote.objects.count(),
        LiveNight.objects.get(event__slug="demo-party").sequence,
    )
    assert after == before


def test_the_demo_party_has_a_bidding_round_open_in_pledge_mode():
    _demo()
    summary = open_round_summary(Event.objects.get(slug="demo-party"))
    assert summary is not None and summary["number"] == 1
