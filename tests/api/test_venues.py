"""/api/v1/venues/ and /api/v1/venues/{uuid}/."""

import datetime as dt

from django.utils import timezone

from events.models import Venue
from tests.factories import EventFactory, VenueFactory

URL = "/api/v1/venues/"


def detail(venue) -> str:
    return f"{URL}{venue.uuid}/"


def test_anonymous_gets_401(event_a, api_for):
    assert api_for(None).get(URL).status_code == 401
    assert api_for(None).get(detail(event_a.venue)).status_code == 401


def test_staff_see_every_venue(staff_dj, event_a, api_for):
    VenueFactory(name="Unused Hall")
    rows = api_for(staff_dj).get(URL).json()["results"]
    assert {row["name"] for row in rows} == {event_a.venue.name, "Unused Hall"}


def test_a_client_sees_the_venues_of_their_events_once_each_without_notes(client_a, event_a, api_for):
    Venue.objects.filter(pk=event_a.venue_id).update(notes="Loading dock code 1234")
    EventFactory(client=client_a, venue=event_a.venue)
    VenueFactory(name="Unused Hall")
    rows = api_for(client_a.user).get(URL).json()["results"]
    assert [row["uuid"] for row in rows] == [str(event_a.venue.uuid)]
    assert "notes" not in rows[0]


def test_another_clients_venue_is_404_and_cannot_be_changed(client_b, event_a, api_for):
    api = api_for(client_b.user)
    venue = event_a.venue
    assert api.get(detail(venue)).status_code == 404
    assert api.patch(detail(venue), {"name": "Mine"}).status_code == 404
    assert api.delete(detail(venue)).status_code == 404
    venue.refresh_from_db()
    assert venue.name != "Mine"


def test_a_client_cannot_change_the_venue_of_their_event(client_a, event_a, api_for):
    api = api_for(client_a.user)
    assert api.patch(detail(event_a.venue), {"name": "Ours"}).status_code == 403
    assert api.post(URL, {"name": "New", "time_zone": "UTC"}).status_code == 403


def test_staff_create_change_and_delete_venues(staff_dj, api_for):
    api = api_for(staff_dj)
    created = api.post(URL, {"name": "The Loft", "city": "Austin", "time_zone": "America/Chicago", "setting": "both"})
    assert created.status_code == 201, created.json()
    venue = Venue.objects.get(uuid=created.json()["uuid"])
    assert api.patch(detail(venue), {"parking_notes": "Lot B"}).json()["parking_notes"] == "Lot B"
    assert api.delete(detail(venue)).status_code == 204
    assert not Venue.objects.filter(pk=venue.pk).exists()


def test_a_venue_with_events_cannot_be_deleted(staff_dj, event_a, api_for):
    response = api_for(staff_dj).delete(detail(event_a.venue))
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"


def test_errors_name_the_field(staff_dj, api_for):
    response = api_for(staff_dj).post(URL, {"time_zone": "Mars/Olympus", "setting": "underwater"})
    assert response.status_code == 400
    assert set(response.json()) == {"name", "time_zone", "setting"}


def test_filter_search_and_ordering(staff_dj, api_for):
    VenueFactory(name="Barn", city="Austin", setting="outdoor")
    VenueFactory(name="Atrium", city="Boston", setting="indoor", address="1 Main St")
    api = api_for(staff_dj)

    def names(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.json()
        return [row["name"] for row in response.json()["results"]]

    assert names(city="austin") == ["Barn"]
    assert names(setting="indoor") == ["Atrium"]
    assert names(search="main st") == ["Atrium"]
    assert names(ordering="-city") == ["Atrium", "Barn"]


def test_updated_since(staff_dj, api_for):
    old, recent = VenueFactory.create_batch(2)
    instant = timezone.now() - dt.timedelta(days=1)
    Venue.objects.filter(pk=old.pk).update(updated_at=instant - dt.timedelta(seconds=1))
    Venue.objects.filter(pk=recent.pk).update(updated_at=instant)
    api = api_for(staff_dj)
    response = api.get(URL, {"updated_since": instant.isoformat()})
    assert [row["uuid"] for row in response.json()["results"]] == [str(recent.uuid)]
    assert list(api.get(URL, {"updated_since": "last week"}).json()) == ["updated_since"]


def test_etag_304(client_a, event_a, api_for, etag_round_trip):
    api = api_for(client_a.user)
    etag_round_trip(api, URL)
    etag_round_trip(api, detail(event_a.venue))


def test_the_list_runs_the_same_queries_for_3_and_30_venues(client_a, api_for, list_queries):
    api = api_for(client_a.user)
    EventFactory.create_batch(3, client=client_a)
    few = list_queries(api, URL)
    EventFactory.create_batch(27, client=client_a)
    many = list_queries(api, URL)
    assert (few[1], many[1]) == (3, 30)
    assert few[0] == many[0]
