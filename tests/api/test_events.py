"""/api/v1/events/ and /api/v1/events/{uuid}/."""

import datetime as dt

import pytest
from django.utils import timezone

from events.models import Event
from events.selectors import with_client_editable
from tests.factories import ClientFactory, EventFactory, PackageFactory, VenueFactory

URL = "/api/v1/events/"


def detail(event) -> str:
    return f"{URL}{event.uuid}/"


def new_event_payload(client, venue, /, **changes) -> dict:
    return {
        "title": "Harbor Gala",
        "event_type": "corporate",
        "client": str(client.uuid),
        "venue": str(venue.uuid),
        "date": "2031-06-14",
        "start_time": "19:00",
        "end_time": "00:30",
        "price_cents": 320_000,
        **changes,
    }


# --- reading and ownership ------------------------------------------------------------------------


def test_anonymous_gets_401(event_a, api_for):
    assert api_for(None).get(URL).status_code == 401
    assert api_for(None).get(detail(event_a)).status_code == 401


def test_staff_see_every_event(staff_dj, event_a, event_b, api_for):
    response = api_for(staff_dj).get(URL)
    assert response.status_code == 200
    assert {row["uuid"] for row in response.json()["results"]} == {str(event_a.uuid), str(event_b.uuid)}


def test_client_sees_only_their_own_events(client_a, event_a, event_b, api_for):
    response = api_for(client_a.user).get(URL)
    assert [row["uuid"] for row in response.json()["results"]] == [str(event_a.uuid)]


def test_another_clients_event_is_404(client_b, event_a, api_for):
    api = api_for(client_b.user)
    assert api.get(detail(event_a)).status_code == 404
    assert api.patch(detail(event_a), {"title": "Mine now", "version": 1}).status_code == 404
    assert api.delete(detail(event_a)).status_code == 404
    event_a.refresh_from_db()
    assert event_a.title == "Alice & Alex wedding"


def test_client_reads_price_but_never_the_internal_notes(client_a, event_a, owner, api_for):
    Event.objects.filter(pk=event_a.pk).update(notes="Ask for a deposit first")
    client_view = api_for(client_a.user).get(detail(event_a)).json()
    assert client_view["price_cents"] == 250_000
    assert "notes" not in client_view
    assert api_for(owner).get(detail(event_a)).json()["notes"] == "Ask for a deposit first"


def test_event_shows_its_identifiers_times_and_version(staff_dj, event_a, api_for):
    body = api_for(staff_dj).get(detail(event_a)).json()
    assert body["client"] == str(event_a.client.uuid)
    assert body["venue"] == str(event_a.venue.uuid)
    assert body["time_zone"] == "America/New_York"
    assert body["starts_at"].endswith("Z")
    assert body["version"] == 1
    assert body["client_can_edit"] is True
    assert "id" not in body


def test_client_cannot_create_change_or_delete_their_own_event(client_a, event_a, api_for):
    api = api_for(client_a.user)
    payload = new_event_payload(client_a, VenueFactory())
    assert api.post(URL, payload).status_code == 403
    assert api.patch(detail(event_a), {"title": "Our party", "version": 1}).status_code == 403
    assert api.delete(detail(event_a)).status_code == 403
    assert Event.objects.count() == 1


def test_a_malformed_uuid_in_the_url_is_404(staff_dj, api_for):
    assert api_for(staff_dj).get(f"{URL}42/").status_code == 404


# --- writing --------------------------------------------------------------------------------------


def test_staff_create_an_event_in_the_venue_time_zone(staff_dj, client_a, api_for):
    venue = VenueFactory(time_zone="Europe/London")
    PackageFactory(name="Gold")
    response = api_for(staff_dj).post(URL, new_event_payload(client_a, venue, package="Gold"))
    assert response.status_code == 201, response.json()
    body = response.json()
    event = Event.objects.get(uuid=body["uuid"])
    assert event.client == client_a
    assert event.package.name == "Gold"
    assert body["time_zone"] == "Europe/London"
    assert body["starts_at"] == "2031-06-14T18:00:00Z"
    assert body["ends_at"] == "2031-06-14T23:30:00Z"
    assert body["slug"].startswith("harbor-gala-")
    assert body["version"] == 1
    assert body["currency"] == "USD"


def test_staff_change_an_event_with_the_version_they_read(staff_dj, event_a, api_for):
    response = api_for(staff_dj).patch(detail(event_a), {"guest_count": 140, "version": 1})
    assert response.status_code == 200, response.json()
    assert response.json()["guest_count"] == 140
    assert response.json()["version"] == 2


def test_staff_replace_an_event_with_put(staff_dj, event_a, api_for):
    payload = new_event_payload(event_a.client, event_a.venue, title="Renamed", version=1)
    response = api_for(staff_dj).put(detail(event_a), payload)
    assert response.status_code == 200, response.json()
    event_a.refresh_from_db()
    assert (event_a.title, event_a.date, event_a.version) == ("Renamed", dt.date(2031, 6, 14), 2)


def test_staff_delete_an_event(owner, event_a, api_for):
    assert api_for(owner).delete(detail(event_a)).status_code == 204
    assert not Event.objects.filter(pk=event_a.pk).exists()


def test_a_stale_version_is_a_409_edit_conflict_and_changes_nothing(owner, staff_dj, event_a, api_for):
    assert api_for(owner).patch(detail(event_a), {"guest_count": 120, "version": 1}).status_code == 200
    response = api_for(staff_dj).patch(detail(event_a), {"guest_count": 80, "version": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "edit_conflict"
    assert "Someone else saved this event" in response.json()["detail"]
    event_a.refresh_from_db()
    assert (event_a.guest_count, event_a.version) == (120, 2)


def test_a_change_without_the_version_is_refused_naming_it(staff_dj, event_a, api_for):
    response = api_for(staff_dj).patch(detail(event_a), {"guest_count": 80})
    assert response.status_code == 400
    assert list(response.json()) == ["version"]


@pytest.mark.parametrize(("start", "target"), [("inquiry", "completed"), ("booked", "quoted"), ("completed", "booked")])
def test_a_status_jump_outside_the_pipeline_is_a_409(staff_dj, api_for, start, target):
    event = EventFactory(status=start)
    response = api_for(staff_dj).patch(detail(event), {"status": target, "version": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["status"] == [response.json()["detail"]]
    event.refresh_from_db()
    assert (event.status, event.version) == (start, 1)


def test_a_status_step_along_the_pipeline_is_saved(staff_dj, event_a, api_for):
    response = api_for(staff_dj).patch(detail(event_a), {"status": "booked", "version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "booked"


def test_model_validation_errors_are_400s_keyed_by_field(staff_dj, client_a, api_for):
    payload = new_event_payload(client_a, VenueFactory(), start_time="20:00", end_time="20:00")
    response = api_for(staff_dj).post(URL, payload)
    assert response.status_code == 400
    assert list(response.json()) == ["end_time"]


def test_input_errors_name_every_bad_field(staff_dj, client_a, api_for):
    payload = new_event_payload(
        client_a, VenueFactory(), date="next friday", price_cents=-5, client="not-a-uuid", status="maybe"
    )
    response = api_for(staff_dj).post(URL, payload)
    assert response.status_code == 400
    assert set(response.json()) == {"date", "price_cents", "client", "status"}


def test_an_unknown_client_uuid_is_named(staff_dj, api_for):
    payload = new_event_payload(ClientFactory.build(), VenueFactory())
    response = api_for(staff_dj).post(URL, payload)
    assert response.status_code == 400
    assert list(response.json()) == ["client"]


# --- client_can_edit ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["inquiry", "quoted", "booked", "completed", "cancelled"])
@pytest.mark.parametrize("days_ahead", [-1, 3, 7, 8, 60])
def test_client_can_edit_in_lists_agrees_with_the_model(db, status, days_ahead):
    event = EventFactory(status=status, date=timezone.localdate() + dt.timedelta(days=days_ahead))
    annotated = with_client_editable(Event.objects.filter(pk=event.pk)).get()
    assert annotated.client_editable == event.client_can_edit()


def test_client_can_edit_is_false_once_the_event_is_close(client_a, api_for):
    event = EventFactory(client=client_a, date=timezone.localdate() + dt.timedelta(days=2))
    assert api_for(client_a.user).get(detail(event)).json()["client_can_edit"] is False


# --- list features --------------------------------------------------------------------------------


def test_filters(staff_dj, client_a, client_b, api_for):
    venue = VenueFactory()
    wedding = EventFactory(client=client_a, venue=venue, status="booked", date=dt.date(2031, 5, 1))
    gala = EventFactory(client=client_b, event_type="corporate", date=dt.date(2031, 7, 1))
    api = api_for(staff_dj)

    def uuids(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.json()
        return [row["uuid"] for row in response.json()["results"]]

    assert uuids(status="booked") == [str(wedding.uuid)]
    assert uuids(event_type="wedding") == [str(wedding.uuid)]
    assert uuids(client=str(client_a.uuid)) == [str(wedding.uuid)]
    assert uuids(venue=str(venue.uuid)) == [str(wedding.uuid)]
    assert uuids(date_before="2031-06-01") == [str(wedding.uuid)]
    assert uuids(date_after="2031-06-01", date_before="2031-07-01") == [str(gala.uuid)]
    assert uuids(event_type="corporate", status="booked") == []


def test_a_bad_filter_value_is_a_400_naming_it(staff_dj, api_for):
    response = api_for(staff_dj).get(URL, {"status": "maybe", "date_after": "soon"})
    assert response.status_code == 400
    assert set(response.json()) == {"status", "date_after"}


def test_search_and_ordering(staff_dj, api_for):
    EventFactory(title="Zebra Ball", price_cents=100)
    EventFactory(title="Apple Fest", price_cents=900)
    api = api_for(staff_dj)
    assert [row["title"] for row in api.get(URL, {"search": "zebra"}).json()["results"]] == ["Zebra Ball"]
    by_price = api.get(URL, {"ordering": "-price_cents"}).json()["results"]
    assert [row["title"] for row in by_price] == ["Apple Fest", "Zebra Ball"]


def test_pagination(staff_dj, api_for):
    EventFactory.create_batch(3)
    body = api_for(staff_dj).get(URL, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_updated_since_returns_rows_changed_at_or_after_the_instant(staff_dj, api_for):
    old, recent = EventFactory.create_batch(2)
    instant = timezone.now() - dt.timedelta(hours=1)
    Event.objects.filter(pk=old.pk).update(updated_at=instant - dt.timedelta(seconds=1))
    Event.objects.filter(pk=recent.pk).update(updated_at=instant)
    response = api_for(staff_dj).get(URL, {"updated_since": instant.isoformat()})
    assert [row["uuid"] for row in response.json()["results"]] == [str(recent.uuid)]


def test_a_bad_updated_since_is_a_400_naming_it(staff_dj, api_for):
    response = api_for(staff_dj).get(URL, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert list(response.json()) == ["updated_since"]


def test_list_and_detail_answer_304_to_a_matching_etag_until_the_event_changes(
    staff_dj, event_a, api_for, etag_round_trip
):
    api = api_for(staff_dj)
    list_etag = etag_round_trip(api, URL)
    detail_etag = etag_round_trip(api, detail(event_a))
    api.patch(detail(event_a), {"guest_count": 99, "version": 1})
    assert api.get(URL, HTTP_IF_NONE_MATCH=list_etag).status_code == 200
    assert api.get(detail(event_a), HTTP_IF_NONE_MATCH=detail_etag).status_code == 200


@pytest.mark.parametrize("persona", ["staff_dj", "client_a"])
def test_the_list_runs_the_same_queries_for_3_and_30_events(persona, request, client_a, api_for, list_queries):
    user = request.getfixturevalue(persona)
    api = api_for(getattr(user, "user", user))
    gold = PackageFactory(name="Gold")
    EventFactory.create_batch(3, client=client_a, package=gold)
    few = list_queries(api, URL)
    EventFactory.create_batch(27, client=client_a, package=gold)
    many = list_queries(api, URL)
    assert (few[1], many[1]) == (3, 30)
    assert few[0] == many[0]
