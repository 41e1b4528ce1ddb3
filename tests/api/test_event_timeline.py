"""/api/v1/events/{uuid}/timeline/ and /api/v1/events/{uuid}/timeline/{id}/."""

import datetime as dt

import pytest
from django.utils import timezone

from events.models import Event, TimelineItem
from tests.factories import EventFactory, TimelineItemFactory


def timeline_url(event) -> str:
    return f"/api/v1/events/{event.uuid}/timeline/"


def item_url(item) -> str:
    return f"{timeline_url(item.event)}{item.pk}/"


def test_anonymous_gets_401(event_a, api_for):
    item = TimelineItemFactory(event=event_a)
    assert api_for(None).get(timeline_url(event_a)).status_code == 401
    assert api_for(None).get(item_url(item)).status_code == 401


def test_the_events_client_reads_its_timeline_in_order(client_a, event_a, api_for):
    TimelineItemFactory(event=event_a, time=dt.time(21), title="Cake", kind="cake_cutting")
    TimelineItemFactory(event=event_a, time=dt.time(19), title="Entrance")
    TimelineItemFactory(title="Someone else's")
    response = api_for(client_a.user).get(timeline_url(event_a))
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Entrance", "Cake"]


def test_another_clients_event_timeline_is_404_for_reads_and_writes(client_b, event_a, api_for):
    item = TimelineItemFactory(event=event_a)
    api = api_for(client_b.user)
    assert api.get(timeline_url(event_a)).status_code == 404
    assert api.post(timeline_url(event_a), {"time": "20:00", "title": "Mine"}).status_code == 404
    assert api.get(item_url(item)).status_code == 404
    assert api.patch(item_url(item), {"title": "Hijacked"}).status_code == 404
    assert api.delete(item_url(item)).status_code == 404
    item.refresh_from_db()
    assert item.title == "Grand entrance"


def test_an_item_is_only_reachable_under_its_own_event(staff_dj, event_a, event_b, api_for):
    item = TimelineItemFactory(event=event_b)
    assert api_for(staff_dj).get(f"{timeline_url(event_a)}{item.pk}/").status_code == 404


def test_staff_add_change_and_remove_items(staff_dj, event_a, api_for):
    api = api_for(staff_dj)
    created = api.post(timeline_url(event_a), {"time": "19:30", "kind": "first_dance", "title": "First dance"})
    assert created.status_code == 201, created.json()
    item = TimelineItem.objects.get(pk=created.json()["id"])
    assert item.event == event_a
    changed = api.patch(item_url(item), {"song": "At Last"})
    assert changed.status_code == 200
    assert changed.json()["song"] == "At Last"
    assert api.delete(item_url(item)).status_code == 204
    assert not event_a.timeline.exists()


def test_the_client_edits_while_the_event_is_open(client_a, event_a, api_for):
    api = api_for(client_a.user)
    created = api.post(timeline_url(event_a), {"time": "20:00", "title": "Toasts", "kind": "toasts"})
    assert created.status_code == 201
    item = TimelineItem.objects.get(pk=created.json()["id"])
    assert api.put(item_url(item), {"time": "20:15", "title": "Toasts", "kind": "toasts"}).status_code == 200
    assert api.delete(item_url(item)).status_code == 204


@pytest.mark.parametrize("lock", ["close_to_the_date", "completed"])
def test_the_client_gets_a_readable_403_once_the_plan_is_locked(client_a, api_for, lock):
    days = 2 if lock == "close_to_the_date" else 60
    event = EventFactory(client=client_a, date=timezone.localdate() + dt.timedelta(days=days))
    if lock == "completed":
        Event.objects.filter(pk=event.pk).update(status="completed")
    item = TimelineItemFactory(event=event)
    api = api_for(client_a.user)
    response = api.post(timeline_url(event), {"time": "20:00", "title": "Late idea"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_editable"
    assert "Contact your DJ" in response.json()["detail"]
    assert api.patch(item_url(item), {"title": "Changed"}).status_code == 403
    assert api.delete(item_url(item)).status_code == 403
    assert api.get(timeline_url(event)).status_code == 200
    assert list(event.timeline.values_list("title", flat=True)) == ["Grand entrance"]


def test_staff_still_edit_a_locked_timeline(staff_dj, api_for):
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=1))
    response = api_for(staff_dj).post(timeline_url(event), {"time": "22:00", "title": "Encore"})
    assert response.status_code == 201


def test_errors_name_the_field(staff_dj, event_a, api_for):
    response = api_for(staff_dj).post(timeline_url(event_a), {"time": "late", "kind": "party"})
    assert response.status_code == 400
    assert set(response.json()) == {"time", "kind", "title"}


def test_filter_search_and_ordering(staff_dj, event_a, api_for):
    TimelineItemFactory(event=event_a, time=dt.time(19), title="Entrance", kind="grand_entrance")
    TimelineItemFactory(event=event_a, time=dt.time(20), title="Dinner", kind="dinner", song="Dinner jazz")
    api = api_for(staff_dj)

    def titles(**params):
        return [row["title"] for row in api.get(timeline_url(event_a), params).json()["results"]]

    assert titles(kind="dinner") == ["Dinner"]
    assert titles(search="jazz") == ["Dinner"]
    assert titles(ordering="-time") == ["Dinner", "Entrance"]


def test_updated_since(staff_dj, event_a, api_for):
    old, recent = TimelineItemFactory.create_batch(2, event=event_a)
    instant = timezone.now() - dt.timedelta(minutes=5)
    TimelineItem.objects.filter(pk=old.pk).update(updated_at=instant - dt.timedelta(microseconds=1))
    TimelineItem.objects.filter(pk=recent.pk).update(updated_at=instant)
    api = api_for(staff_dj)
    response = api.get(timeline_url(event_a), {"updated_since": instant.isoformat()})
    assert [row["id"] for row in response.json()["results"]] == [recent.pk]
    assert list(api.get(timeline_url(event_a), {"updated_since": "2030-13-45"}).json()) == ["updated_since"]


def test_etag_304(client_a, event_a, api_for, etag_round_trip):
    item = TimelineItemFactory(event=event_a)
    api = api_for(client_a.user)
    etag_round_trip(api, timeline_url(event_a))
    etag_round_trip(api, item_url(item))


def test_the_list_runs_the_same_queries_for_3_and_30_items(client_a, event_a, api_for, list_queries):
    api = api_for(client_a.user)
    TimelineItemFactory.create_batch(3, event=event_a)
    few = list_queries(api, timeline_url(event_a))
    TimelineItemFactory.create_batch(27, event=event_a)
    many = list_queries(api, timeline_url(event_a))
    assert (few[1], many[1]) == (3, 30)
    assert few[0] == many[0]
