"""services.song_request_create: duplicates become votes, do-not-play, profanity, limits, cooldown, PIN."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from events.models import LiveNight, SongRequest, Vote
from events.services import RequestCooldown, RequestsError, RequestsForbidden, RequestsRefused, song_request_create
from events.services.requests import DO_NOT_PLAY_MESSAGE
from events.songs import normalize_song
from tests.factories import EventFactory, LiveNightFactory, MusicPlanFactory, PlannedSongFactory

pytestmark = pytest.mark.django_db


def ask(event, title, artist="", guest_id=None, **kwargs):
    return song_request_create(event=event, guest_id=guest_id or uuid.uuid4(), title=title, artist=artist, **kwargs)


def test_a_new_request_counts_the_requesters_own_vote(live_night):
    guest = uuid.uuid4()
    song_request, created = ask(live_night.event, "September", "Earth, Wind & Fire", guest_id=guest)
    assert created
    assert song_request.votes_count == 1
    assert list(Vote.objects.values_list("request_id", "guest_id")) == [(song_request.pk, guest)]
    assert song_request.normalized == "september|earth wind and fire"
    assert song_request.pre_party  # event_a is two months away


@pytest.mark.parametrize(
    ("title", "artist"),
    [
        ("uptown funk", "MARK RONSON"),
        ("Uptown Funk (feat. Bruno Mars)", "Mark Ronson ft. Bruno Mars"),
        ("  Uptown   Funk! ", "Mark Ronson featuring Bruno Mars"),
    ],
)
def test_the_same_song_written_differently_becomes_a_vote(live_night, title, artist):
    first, _ = ask(live_night.event, "Uptown Funk", "Mark Ronson")
    second, created = ask(live_night.event, title, artist)
    assert not created
    assert second.pk == first.pk
    assert second.votes_count == 2
    assert SongRequest.objects.count() == 1


def test_normalising_folds_accents_punctuation_and_a_leading_the():
    assert normalize_song("Café  del Mar", "Énergie 52") == "cafe del mar|energie 52"
    assert normalize_song("Don’t Stop Believin'", "Journey") == normalize_song("dont stop believin", "journey")
    assert normalize_song("Mr. Brightside", "The Killers") == normalize_song("mr brightside", "killers")


def test_asking_again_for_ones_own_song_changes_nothing(live_night):
    guest = uuid.uuid4()
    first, _ = ask(live_night.event, "Valerie", "Amy Winehouse", guest_id=guest)
    again, created = ask(live_night.event, "Valerie", "Amy Winehouse", guest_id=guest)
    assert (again.pk, created, again.votes_count) == (first.pk, False, 1)


def test_a_played_song_can_be_requested_again(live_night):
    first, _ = ask(live_night.event, "Valerie")
    SongRequest.objects.filter(pk=first.pk).update(status="played")
    second, created = ask(live_night.event, "Valerie")
    assert created
    assert second.pk != first.pk


def test_a_song_on_the_do_not_play_list_is_declined_politely(live_night):
    PlannedSongFactory(plan__event=live_night.event, kind="do_not_play", title="Macarena", artist="Los del Río")
    for artist in ("Los Del Rio", ""):
        with pytest.raises(RequestsRefused) as refusal:
            ask(live_night.event, "macarena", artist)
        assert refusal.value.message == DO_NOT_PLAY_MESSAGE
        assert (refusal.value.code, refusal.value.http_status) == ("do_not_play", 409)
    assert not SongRequest.objects.exists()
    assert ask(live_night.event, "Macarena", "Some Cover Band")[1]  # another artist's song of that name


def test_profanity_in_the_name_and_dedication_is_masked(live_night):
    song_request, _ = ask(
        live_night.event, "Shout", guest_name="Big Shit Energy", message="For my fucking awesome sister, Dickens fan"
    )
    assert song_request.guest_name == "Big S*** Energy"
    assert song_request.message == "For my f****** awesome sister, Dickens fan"


def test_a_guest_has_a_limited_number_of_requests_and_votes_do_not_count(live_night):
    guest = uuid.uuid4()
    ask(live_night.event, "Someone Else's Song")
    for title in ("One", "Two", "Three"):
        ask(live_night.event, title, guest_id=guest)
    _, created = ask(live_night.event, "Someone else’s song", guest_id=guest)
    assert not created  # a vote, allowed past the limit
    with pytest.raises(RequestsRefused, match="made your 3 requests") as refusal:
        ask(live_night.event, "Four", guest_id=guest)
    assert refusal.value.code == "request_limit"


def test_a_guest_waits_for_the_cooldown_between_requests(live_night):
    LiveNight.objects.filter(pk=live_night.pk).update(request_cooldown_seconds=120)
    guest = uuid.uuid4()
    first, _ = ask(live_night.event, "One", guest_id=guest)
    with pytest.raises(RequestCooldown) as refusal:
        ask(live_night.event, "Two", guest_id=guest)
    assert refusal.value.http_status == 409
    assert 119 <= refusal.value.retry_after <= 120
    assert "request again in 2 minutes" in refusal.value.message
    SongRequest.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(seconds=100))
    with pytest.raises(RequestCooldown, match=r"in (19|20) seconds"):
        ask(live_night.event, "Two", guest_id=guest)
    SongRequest.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(seconds=121))
    assert ask(live_night.event, "Two", guest_id=guest)[1]
    assert ask(live_night.event, "Something else", guest_id=uuid.uuid4())[1]  # others are not held up


def test_closed_requests_are_refused(event_a):
    LiveNightFactory(event=event_a, requests_open=False)
    with pytest.raises(RequestsRefused, match="closed") as refusal:
        ask(event_a, "September")
    assert (refusal.value.code, refusal.value.http_status) == ("requests_closed", 409)


def test_the_hosts_no_requests_wish_wins_over_the_djs_switch(live_night):
    MusicPlanFactory(event=live_night.event, guest_requests_allowed=False)
    with pytest.raises(RequestsRefused, match="hosts asked for no song requests") as refusal:
        ask(live_night.event, "September")
    assert refusal.value.code == "requests_off"
    assert not SongRequest.objects.exists()


def test_an_event_without_live_settings_yet_is_closed(event_a):
    with pytest.raises(RequestsRefused, match="closed"):
        ask(event_a, "September")


def test_before_the_party_guests_with_the_pin_may_request(event_a):
    LiveNightFactory(event=event_a, requests_open=False, request_pin="4321")
    with pytest.raises(RequestsForbidden) as missing:
        ask(event_a, "September")
    assert (missing.value.field, missing.value.http_status) == ("pin", 403)
    with pytest.raises(RequestsForbidden) as wrong:
        ask(event_a, "September", pin="1234")
    assert wrong.value.code == "wrong_pin"
    song_request, created = ask(event_a, "September", pin=" 4321 ")
    assert created
    assert song_request.pre_party


def test_the_pin_no_longer_opens_requests_once_the_party_started(db):
    started = EventFactory(date=timezone.localdate() - dt.timedelta(days=1), start_time=dt.time(0, 0))
    LiveNightFactory(event=started, requests_open=False, request_pin="4321")
    with pytest.raises(RequestsRefused, match="closed"):
        ask(started, "September", pin="4321")


def test_requests_on_the_night_are_not_pre_party(db):
    tonight = EventFactory(date=timezone.localdate() - dt.timedelta(days=1), start_time=dt.time(0, 0))
    LiveNightFactory(event=tonight)
    assert not ask(tonight, "September")[0].pre_party


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "?!"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Ok", "guest_name": "n" * 61}, "guest_name"),
        ({"title": "Ok", "message": "m" * 201}, "message"),
    ],
)
def test_bad_input_names_the_field(live_night, fields, field):
    with pytest.raises(RequestsError) as error:
        song_request_create(event=live_night.event, guest_id=uuid.uuid4(), **fields)
    assert (error.value.field, error.value.http_status) == (field, 400)
