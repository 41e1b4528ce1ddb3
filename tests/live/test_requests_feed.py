"""Every change to requests, votes and the live settings goes out on the event's feed, numbered in order."""

import uuid

import pytest

from events.services import (
    announcement_post,
    live_settings_update,
    song_request_create,
    song_request_set_status,
    song_request_vote,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_requests_votes_and_status_changes_are_published_in_order(live_night, staff_dj, feed_listener):
    event = live_night.event
    receive = feed_listener(event)
    song, _ = song_request_create(event=event, guest_id=uuid.uuid4(), title="September", guest_name="Kim")
    song_request_vote(event=event, guest_id=uuid.uuid4(), request_id=song.pk)
    song_request_create(event=event, guest_id=uuid.uuid4(), title="september")  # a duplicate: one more vote
    song_request_set_status(actor=staff_dj, event=event, request_id=song.pk, status="playing")
    messages = receive(5)
    assert [message["seq"] for message in messages] == [1, 2, 3, 4, 5]
    assert [message["kind"] for message in messages] == ["request", "request", "request", "request", "now_playing"]
    assert [message["data"]["votes"] for message in messages[:3]] == [1, 2, 3]
    assert messages[0]["data"]["id"] == str(song.pk)
    assert messages[0]["data"]["guest_name"] == "Kim"
    assert "guest_id" not in messages[0]["data"]
    assert messages[3]["data"]["status"] == "playing"
    assert messages[4]["data"]["request"]["id"] == str(song.pk)


def test_a_second_vote_by_the_same_guest_publishes_nothing(live_night, feed_listener):
    event = live_night.event
    receive = feed_listener(event)
    song, _ = song_request_create(event=event, guest_id=uuid.uuid4(), title="September")
    voter = uuid.uuid4()
    song_request_vote(event=event, guest_id=voter, request_id=song.pk)
    song_request_vote(event=event, guest_id=voter, request_id=song.pk)
    song_request_create(event=event, guest_id=uuid.uuid4(), title="Another")
    messages = receive(3)
    assert [message["seq"] for message in messages] == [1, 2, 3]
    assert messages[2]["data"]["title"] == "Another"


def test_settings_and_announcements_are_published_without_the_pin(live_night, owner, feed_listener):
    event = live_night.event
    receive = feed_listener(event)
    live_settings_update(actor=owner, event=event, fields={"requests_open": False, "request_pin": "1357"})
    announcement_post(actor=owner, event=event, text="Cake in five minutes!")
    settings_message, announcement = receive(2)
    assert settings_message["kind"] == "settings"
    assert settings_message["data"] == {
        "requests_open": False,
        "pin_required": True,
        "requests_per_guest": 3,
        "request_cooldown_seconds": 0,
        "bidding_open": False,
    }
    assert (announcement["kind"], announcement["data"]["text"]) == ("announcement", "Cake in five minutes!")
    assert announcement["seq"] == settings_message["seq"] + 1
