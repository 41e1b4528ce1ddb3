"""The client portal: the list of a client's events and one event's page."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import SongListKind
from tests.factories import (
    EventFactory,
    MusicPlanFactory,
    PlannedSongFactory,
    StaffAssignmentFactory,
    TimelineItemFactory,
    VenueFactory,
)

PORTAL = reverse("events:portal")


def _venue_today(time_zone="America/New_York") -> dt.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(time_zone))


def test_portal_lists_upcoming_events_soonest_first_then_past_ones_latest_first(client, client_a, event_b):
    today = _venue_today()
    later = EventFactory(client=client_a, title="Anniversary party", date=today + dt.timedelta(days=200))
    sooner = EventFactory(client=client_a, title="Engagement party", date=today + dt.timedelta(days=10))
    old = EventFactory(client=client_a, title="Old party", date=today - dt.timedelta(days=400), status="completed")
    recent = EventFactory(client=client_a, title="Recent party", date=today - dt.timedelta(days=30), status="completed")
    client.force_login(client_a.user)

    response = client.get(PORTAL)

    assert response.status_code == 200
    assert response.context["upcoming"] == [sooner, later]
    assert response.context["past"] == [recent, old]
    html = response.content.decode()
    assert html.index("Engagement party") < html.index("Anniversary party") < html.index("Recent party")
    assert event_b.title not in html


def test_portal_shows_time_in_the_venue_zone_a_status_badge_and_a_countdown(client, client_a):
    venue = VenueFactory(name="Old Brewery", city="London", time_zone="Europe/London")
    date = _venue_today("Europe/London") + dt.timedelta(days=12)
    EventFactory(client=client_a, venue=venue, date=date, start_time=dt.time(18), end_time=dt.time(23), status="booked")
    client.force_login(client_a.user)

    html = client.get(PORTAL).content.decode()

    zone = "BST" if dt.datetime.combine(date, dt.time(18), zoneinfo.ZoneInfo("Europe/London")).dst() else "GMT"
    assert f'<span class="nowrap">{date:%A}, {date:%B} {date.day}, {date.year}</span>' in html
    assert f'<span class="nowrap">6:00 PM – 11:00 PM {zone}</span>' in html
    assert "Old Brewery, London" in html
    assert '<span class="badge badge--booked">Booked</span>' in html
    assert "In 12 days" in html


@pytest.mark.parametrize(("days", "label"), [(0, "Today"), (1, "Tomorrow"), (2, "In 2 days")])
def test_countdown_counts_days_on_the_venue_calendar(client, client_a, days, label):
    EventFactory(
        client=client_a,
        date=_venue_today() + dt.timedelta(days=days),
        start_time=dt.time(23, 0),
        end_time=dt.time(3, 0),  # ends after midnight, so a "today" event is still upcoming late tonight
    )
    client.force_login(client_a.user)
    assert label in client.get(PORTAL).content.decode()


def test_a_client_without_events_is_told_where_they_will_appear(client, client_a):
    client.force_login(client_a.user)
    assert "You have no events yet." in client.get(PORTAL).content.decode()


def _count_portal_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PORTAL).status_code == 200
    return len(queries)


def test_portal_runs_the_same_number_of_queries_for_3_or_30_events(client, client_a):
    today = _venue_today()
    client.force_login(client_a.user)

    def add_events(count):
        for index in range(count):
            past = index % 3 == 0
            EventFactory(
                client=client_a,
                date=today + dt.timedelta(days=(-index - 1) if past else index + 1),
                status="completed" if past else "booked",
            )

    add_events(3)
    with_3 = _count_portal_queries(client)
    add_events(27)
    with_30 = _count_portal_queries(client)

    assert with_30 == with_3


def test_event_page_shows_details_timeline_music_plan_and_an_honest_documents_section(client, client_a, staff_dj):
    venue = VenueFactory(name="Glasshouse", address="1 Pier Rd", city="Brooklyn")
    event = EventFactory(client=client_a, venue=venue, title="Alice & Alex wedding", guest_count=120, notes="VIP only")
    TimelineItemFactory(event=event, time=dt.time(19, 30), title="Grand entrance", song="Signed, Sealed, Delivered")
    plan = MusicPlanFactory(event=event, genres_loved="Motown, 80s")
    PlannedSongFactory(plan=plan, kind=SongListKind.SPECIAL_MOMENT, moment="First dance", title="At Last")
    StaffAssignmentFactory(event=event, staff=staff_dj)
    client.force_login(client_a.user)

    response = client.get(reverse("events:portal-event", args=[event.uuid]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice &amp; Alex wedding" in html
    assert "1 Pier Rd, Brooklyn" in html
    assert "7:30 PM" in html and "Signed, Sealed, Delivered" in html
    assert "Motown, 80s" in html
    assert "First dance:</strong> At Last" in html
    assert "Dana DJ" in html
    assert "Your contract and invoices will appear here once your DJ sends them." in html
    assert reverse("events:guest", args=[event.slug]) in html
    assert "Edit timeline" in html and "Edit music plan" in html
    assert "VIP only" not in html, "internal notes are not for the client"
    assert "2,500" not in html and "2500" not in html


def test_event_page_of_a_locked_event_says_why(client, client_a):
    event = EventFactory(client=client_a, date=_venue_today() + dt.timedelta(days=3), status="booked")
    client.force_login(client_a.user)
    html = client.get(reverse("events:portal-event", args=[event.uuid])).content.decode()
    assert "Your plan is locked." in html
    assert "Changes close 7 days before the event" in html
    assert "View timeline" in html and "Edit timeline" not in html
