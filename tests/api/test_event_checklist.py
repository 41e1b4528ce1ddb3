"""/api/v1/events/{uuid}/checklist/ and /api/v1/events/{uuid}/checklist/{id}/: staff only."""

import datetime as dt

from django.utils import timezone

from events.models import ChecklistItem
from tests.factories import ChecklistItemFactory, EquipmentItemFactory


def checklist_url(event) -> str:
    return f"/api/v1/events/{event.uuid}/checklist/"


def item_url(item) -> str:
    return f"{checklist_url(item.event)}{item.pk}/"


def test_anonymous_gets_401(event_a, api_for):
    assert api_for(None).get(checklist_url(event_a)).status_code == 401


def test_the_events_client_gets_403(client_a, event_a, api_for):
    item = ChecklistItemFactory(event=event_a)
    api = api_for(client_a.user)
    response = api.get(checklist_url(event_a))
    assert response.status_code == 403
    assert response.json()["detail"]
    assert api.get(item_url(item)).status_code == 403
    assert api.post(checklist_url(event_a), {"label": "Fog machine"}).status_code == 403


def test_another_clients_event_checklist_is_404(client_b, event_a, api_for):
    item = ChecklistItemFactory(event=event_a)
    api = api_for(client_b.user)
    assert api.get(checklist_url(event_a)).status_code == 404
    assert api.get(item_url(item)).status_code == 404
    assert api.patch(item_url(item), {"packed": True}).status_code == 404
    assert api.delete(item_url(item)).status_code == 404
    item.refresh_from_db()
    assert item.packed is False


def test_staff_pack_gear_from_the_catalogue_and_free_text_items(staff_dj, event_a, api_for):
    EquipmentItemFactory(name="QSC K12.2")
    api = api_for(staff_dj)
    speaker = api.post(checklist_url(event_a), {"equipment": "QSC K12.2", "quantity": 2})
    assert speaker.status_code == 201, speaker.json()
    assert speaker.json()["label"] == "QSC K12.2"
    fog = api.post(checklist_url(event_a), {"label": "Fog machine"})
    assert fog.status_code == 201
    assert fog.json()["equipment"] is None
    item = ChecklistItem.objects.get(pk=speaker.json()["id"])
    assert api.patch(item_url(item), {"packed": True}).json()["packed"] is True
    assert api.delete(item_url(item)).status_code == 204
    assert list(event_a.checklist.values_list("label", flat=True)) == ["Fog machine"]


def test_errors_name_the_field(staff_dj, event_a, api_for):
    api = api_for(staff_dj)
    unnamed = api.post(checklist_url(event_a), {"quantity": 1})
    assert unnamed.status_code == 400
    assert list(unnamed.json()) == ["label"]
    bad = api.post(checklist_url(event_a), {"equipment": "Time machine", "quantity": 0})
    assert bad.status_code == 400
    assert set(bad.json()) == {"equipment", "quantity"}


def test_filter_search_ordering_and_updated_since(staff_dj, event_a, api_for):
    packed = ChecklistItemFactory(event=event_a, label="Mixer", packed=True)
    ChecklistItemFactory(event=event_a, label="Uplights", notes="the warm white ones")
    instant = timezone.now() - dt.timedelta(minutes=5)
    ChecklistItem.objects.exclude(pk=packed.pk).update(updated_at=instant - dt.timedelta(seconds=1))
    ChecklistItem.objects.filter(pk=packed.pk).update(updated_at=instant)
    api = api_for(staff_dj)

    def labels(**params):
        response = api.get(checklist_url(event_a), params)
        assert response.status_code == 200, response.json()
        return [row["label"] for row in response.json()["results"]]

    assert labels(packed="true") == ["Mixer"]
    assert labels(search="warm") == ["Uplights"]
    assert labels(ordering="-label") == ["Uplights", "Mixer"]
    assert labels(updated_since=instant.isoformat()) == ["Mixer"]
    assert list(api.get(checklist_url(event_a), {"updated_since": "x"}).json()) == ["updated_since"]


def test_etag_304(staff_dj, event_a, api_for, etag_round_trip):
    item = ChecklistItemFactory(event=event_a)
    etag_round_trip(api_for(staff_dj), checklist_url(event_a))
    etag_round_trip(api_for(staff_dj), item_url(item))


def test_the_list_runs_the_same_queries_for_3_and_30_items(staff_dj, event_a, api_for, list_queries):
    api = api_for(staff_dj)
    ChecklistItemFactory.create_batch(3, event=event_a)
    few = list_queries(api, checklist_url(event_a))
    ChecklistItemFactory.create_batch(27, event=event_a)
    many = list_queries(api, checklist_url(event_a))
    assert (few[1], many[1]) == (3, 30)
    assert few[0] == many[0]
