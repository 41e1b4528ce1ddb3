"""Every model has a working admin list and form, and the lists cost the same few queries for 3 or 30 rows."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import BusinessProfile
from comms.models import DeliveryEvent, OptOut
from events.models import Tag, Vote
from events.services import bid_place, bidding_open, rounds_close_due
from tests.factories import (
    ChecklistItemFactory,
    ClientFactory,
    EventFactory,
    LiveNightFactory,
    MusicPlanFactory,
    OutboxMessageFactory,
    PackageFactory,
    PlannedSongFactory,
    SongRequestFactory,
    StaffAssignmentFactory,
    TimelineItemFactory,
    UserFactory,
    VenueFactory,
)

MODELS = [
    "accounts.user",
    "accounts.businessprofile",
    "events.tag",
    "events.client",
    "events.venue",
    "events.package",
    "events.event",
    "events.staffassignment",
    "events.timelineitem",
    "events.equipmentitem",
    "events.checklistitem",
    "events.musicplan",
    "events.plannedsong",
    "events.livenight",
    "events.songrequest",
    "events.vote",
    "events.biddinground",
    "events.bid",
    "comms.outboxmessage",
    "comms.deliveryevent",
    "comms.optout",
]
# Rows made by guests and the services (and the one business profile): no add form.
NO_ADD_FORM = {
    "accounts.businessprofile",
    "events.livenight",
    "events.songrequest",
    "events.vote",
    "events.biddinground",
    "events.bid",
    "comms.outboxmessage",
    "comms.deliveryevent",
}


def _url(model: str, view: str, *args) -> str:
    app_label, model_name = model.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def _make_events(count: int, *, first_day: int) -> None:
    """`count` events on separate days, each with a DJ, a tagged client, timeline, packing list and songs."""
    dj = UserFactory(role="staff")
    package = PackageFactory()
    tag, _ = Tag.objects.get_or_create(name="VIP")
    for day in range(first_day, first_day + count):
        client = ClientFactory(user=UserFactory(role="client"))
        client.tags.add(tag)
        event = EventFactory(client=client, package=package, date=timezone.localdate() + dt.timedelta(days=day))
        StaffAssignmentFactory(event=event, staff=dj)
        TimelineItemFactory(event=event)
        ChecklistItemFactory(event=event)
        PlannedSongFactory(plan=MusicPlanFactory(event=event))
        sent = OutboxMessageFactory(to=client.email, client=client, event=event, status="sent", provider_id=f"pm-{day}")
        DeliveryEvent.objects.create(
            provider="postmark", provider_message_id=sent.provider_id, event="delivered", message=sent
        )
        OptOut.objects.create(channel="email", address=f"gone{day}-{uuid.uuid4().hex[:6]}@example.com")
        _make_live_night(event, dj)


def _make_live_night(event, dj) -> None:
    """A song playing, a request with a vote and a pledge in the open round, a closed round with its winner."""
    playing, wanted = SongRequestFactory(event=event), SongRequestFactory(event=event)
    LiveNightFactory(event=event, now_playing=playing)
    Vote.objects.create(request=wanted, guest_id=uuid.uuid4())
    now = timezone.now()
    bidding_open(actor=dj, event=event, now=now - dt.timedelta(seconds=90))
    ago = now - dt.timedelta(seconds=60)
    bid_place(
        event=event, guest_id=uuid.uuid4(), request_id=wanted.pk, amount_cents=700, client_request_id="a", now=ago
    )
    rounds_close_due(now=now)
    bid_place(
        event=event, guest_id=uuid.uuid4(), request_id=wanted.pk, amount_cents=900, client_request_id="b", now=now
    )


@pytest.fixture
def some_of_everything(db):
    BusinessProfile(name="Night Owl Entertainment").save()
    _make_events(2, first_day=1)


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_loads_for_the_owner(client, owner, some_of_everything, model):
    client.force_login(owner)
    assert client.get(_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", [m for m in MODELS if m not in NO_ADD_FORM])
def test_every_add_form_loads_for_the_owner(client, owner, some_of_everything, model):
    client.force_login(owner)
    assert client.get(_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_every_change_form_loads_for_the_owner(client, owner, some_of_everything, model):
    client.force_login(owner)
    changelist = client.get(_url(model, "changelist"))
    row = changelist.context["cl"].result_list[0]
    assert client.get(_url(model, "change", row.pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_changelists_cost_the_same_queries_for_3_and_30_events(client, owner, model):
    BusinessProfile(name="Night Owl Entertainment").save()
    client.force_login(owner)
    url = _url(model, "changelist")
    _make_events(3, first_day=1)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _make_events(27, first_day=10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_event_list_shows_venue_time_client_djs_and_money(client, owner):
    event = EventFactory(
        title="Holiday party",
        venue=VenueFactory(name="Lakeshore Pavilion", city="Chicago", time_zone="America/Chicago"),
        date=dt.date(2031, 1, 10),
        start_time=dt.time(18, 30),
        price_cents=250_000,
    )
    StaffAssignmentFactory(event=event, staff=UserFactory(role="staff", full_name="Leo Martinez"))
    client.force_login(owner)
    page = client.get(_url("events.event", "changelist")).content.decode()
    assert "Fri Jan 10, 2031" in page
    assert "6:30 PM CST" in page
    assert event.client.name in page
    assert "Lakeshore Pavilion" in page
    assert "Leo Martinez" in page
    assert "$2,500.00" in page


def test_upcoming_events_come_first_soonest_first_then_past_latest_first(client, owner):
    today = timezone.localdate()
    later = EventFactory(title="later", date=today + dt.timedelta(days=20))
    sooner = EventFactory(title="sooner", date=today + dt.timedelta(days=2))
    long_ago = EventFactory(title="long ago", date=today - dt.timedelta(days=200))
    last_month = EventFactory(title="last month", date=today - dt.timedelta(days=30))
    client.force_login(owner)
    listed = client.get(_url("events.event", "changelist")).context["cl"].result_list
    assert list(listed) == [sooner, later, last_month, long_ago]


@pytest.mark.parametrize(("when", "titles"), [("upcoming", ["next week"]), ("past", ["last week"])])
def test_when_filter(client, owner, when, titles):
    EventFactory(title="next week", date=timezone.localdate() + dt.timedelta(days=7))
    EventFactory(title="last week", date=timezone.localdate() - dt.timedelta(days=7))
    client.force_login(owner)
    listed = client.get(_url("events.event", "changelist"), {"when": when}).context["cl"].result_list
    assert [event.title for event in listed] == titles


def test_package_list_shows_price_in_the_business_currency(client, owner):
    BusinessProfile(currency="GBP").save()
    PackageFactory(name="Gold", price_cents=180_000)
    client.force_login(owner)
    assert "£1,800.00" in client.get(_url("events.package", "changelist")).content.decode()
