"""GET /api/v1/events/<slug>/queue/: the snapshot a page or app loads, and reloads on a gap in the feed."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.live_selectors import live_snapshot
from events.models import LiveNight, SongRequest
from events.services import bidding_open, song_request_create, song_request_set_status, song_request_vote

pytestmark = pytest.mark.django_db


def queue(api, event) -> dict:
    answer = api.get(f"/api/v1/events/{event.slug}/queue/")
    assert answer.status_code == 200, answer.content
    return answer.json()


def ask(event, title, guest_id=None):
    return song_request_create(event=event, guest_id=guest_id or uuid.uuid4(), title=title)[0]


def test_the_snapshot_has_every_part(live_night, guest_api):
    snapshot = queue(guest_api(), live_night.event)
    assert set(snapshot) == {
        "seq",
        "event",
        "requests_open",
        "pin_required",
        "bidding_open",
        "announcement",
        "now_playing",
        "queue",
        "played",
        "guest",
        "round",
        "library_search",
    }
    assert snapshot["event"] == {"slug": live_night.event.slug, "title": live_night.event.title}
    assert (snapshot["requests_open"], snapshot["bidding_open"], snapshot["round"]) == (True, False, None)
    assert snapshot["library_search"] is False  # the DJ's library is empty: guests type title and artist
    assert snapshot["guest"]["requests_left"] == 3
    assert snapshot["guest"]["cooldown_seconds_left"] == 0
    assert snapshot["guest"]["my_requests"] == []


def test_the_queue_plays_first_then_up_next_then_votes_then_oldest(live_night, staff_dj, guest_api):
    event = live_night.event
    old, popular, _new, next_up, playing = (ask(event, title) for title in ("Old", "Popular", "New", "Next", "Now"))
    SongRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    song_request_vote(event=event, guest_id=uuid.uuid4(), request_id=popular.pk)
    song_request_set_status(actor=staff_dj, event=event, request_id=next_up.pk, status="up_next")
    song_request_set_status(actor=staff_dj, event=event, request_id=playing.pk, status="playing")
    snapshot = queue(guest_api(), event)
    assert [row["title"] for row in snapshot["queue"]] == ["Now", "Next", "Popular", "Old", "New"]
    assert snapshot["now_playing"]["title"] == "Now"


def test_the_guest_sees_what_they_voted_for_and_asked_for(live_night, guest_api):
    guest = uuid.uuid4()
    mine = ask(live_night.event, "Mine", guest_id=guest)
    theirs = ask(live_night.event, "Theirs")
    ask(live_night.event, "Other")
    song_request_vote(event=live_night.event, guest_id=guest, request_id=theirs.pk)
    snapshot = queue(guest_api(guest), live_night.event)
    flags = {row["title"]: (row["voted"], row["mine"]) for row in snapshot["queue"]}
    assert flags == {"Mine": (True, True), "Theirs": (True, False), "Other": (False, False)}
    assert snapshot["guest"]["requests_left"] == 2
    assert snapshot["guest"]["my_requests"] == [{"id": str(mine.pk), "status": "requested"}]


def test_the_cooldown_left_is_shown(live_night, guest_api):
    LiveNight.objects.filter(pk=live_night.pk).update(request_cooldown_seconds=120)
    guest = uuid.uuid4()
    first = ask(live_night.event, "One", guest_id=guest)
    SongRequest.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(seconds=30))
    assert 89 <= queue(guest_api(guest), live_night.event)["guest"]["cooldown_seconds_left"] <= 90


def test_the_played_history_is_newest_first(live_night, staff_dj, guest_api):
    for title in ("First", "Second", "Third"):
        song = ask(live_night.event, title)
        song_request_set_status(actor=staff_dj, event=live_night.event, request_id=song.pk, status="playing")
    snapshot = queue(guest_api(), live_night.event)
    assert [row["title"] for row in snapshot["played"]] == ["Second", "First"]
    assert [row["title"] for row in snapshot["queue"]] == ["Third"]


def test_the_seq_is_the_last_feed_message_and_the_open_round_is_included(live_night, staff_dj, guest_api):
    ask(live_night.event, "One")
    bidding_open(actor=staff_dj, event=live_night.event)
    snapshot = queue(guest_api(), live_night.event)
    assert snapshot["seq"] == LiveNight.objects.get(pk=live_night.pk).sequence > 1
    assert snapshot["bidding_open"] is True
    assert snapshot["round"]["bids_count"] == 0


def test_the_queue_sets_the_csrf_cookie_for_the_pages_script(live_night, client):
    answer = client.get(f"/api/v1/events/{live_night.event.slug}/queue/")
    assert "csrftoken" in answer.cookies


def test_the_pin_is_required_before_the_party_when_requests_are_closed(event_a, guest_api):
    LiveNight.objects.create(event=event_a, request_pin="1234")
    snapshot = queue(guest_api(), event_a)
    assert (snapshot["requests_open"], snapshot["pin_required"]) == (False, True)
    assert "1234" not in str(snapshot)


def test_the_snapshot_costs_the_same_queries_however_long_the_queue(live_night, django_assert_max_num_queries):
    ask(live_night.event, "First")
    with CaptureQueriesContext(connection) as short:
        live_snapshot(live_night.event, uuid.uuid4())
    for number in range(20):
        ask(live_night.event, f"Song {number}")
    with django_assert_max_num_queries(len(short.captured_queries)):
        live_snapshot(live_night.event, uuid.uuid4())
