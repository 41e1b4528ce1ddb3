"""/api/v1/clients/ and /api/v1/clients/{uuid}/."""

import datetime as dt

from django.utils import timezone

from events.models import Client, Tag
from tests.factories import ClientFactory, EventFactory

URL = "/api/v1/clients/"


def detail(client) -> str:
    return f"{URL}{client.uuid}/"


def test_anonymous_gets_401(client_a, api_for):
    assert api_for(None).get(URL).status_code == 401
    assert api_for(None).get(detail(client_a)).status_code == 401


def test_staff_see_every_client_with_notes_and_tag_names(staff_dj, client_a, client_b, api_for):
    client_a.tags.add(Tag.objects.create(name="VIP"), Tag.objects.create(name="2031"))
    client_a.notes = "Prefers texts"
    client_a.save()
    body = api_for(staff_dj).get(URL).json()
    assert [row["name"] for row in body["results"]] == ["Alice & Alex", "Bea & Ben"]
    assert body["results"][0]["tags"] == ["2031", "VIP"]
    assert body["results"][0]["notes"] == "Prefers texts"


def test_a_client_sees_only_their_own_record_without_notes(client_a, client_b, api_for):
    api = api_for(client_a.user)
    rows = api.get(URL).json()["results"]
    assert [row["uuid"] for row in rows] == [str(client_a.uuid)]
    assert "notes" not in rows[0]
    assert api.get(detail(client_a)).status_code == 200


def test_another_clients_record_is_404_and_cannot_be_changed(client_a, client_b, api_for):
    api = api_for(client_b.user)
    assert api.get(detail(client_a)).status_code == 404
    assert api.patch(detail(client_a), {"name": "Mallory"}).status_code == 404
    assert api.delete(detail(client_a)).status_code == 404
    client_a.refresh_from_db()
    assert client_a.name == "Alice & Alex"


def test_a_client_cannot_change_their_own_record_or_create_one(client_a, api_for):
    api = api_for(client_a.user)
    assert api.patch(detail(client_a), {"name": "Renamed"}).status_code == 403
    assert api.post(URL, {"name": "Another"}).status_code == 403
    assert Client.objects.count() == 1


def test_staff_create_change_and_delete_clients_with_tags(staff_dj, api_for):
    api = api_for(staff_dj)
    Tag.objects.create(name="wedding")
    created = api.post(URL, {"name": "Cy & Dee", "source": "referral", "tags": ["wedding", "2031", "wedding"]})
    assert created.status_code == 201, created.json()
    assert sorted(created.json()["tags"]) == ["2031", "wedding"]
    client = Client.objects.get(uuid=created.json()["uuid"])
    changed = api.patch(detail(client), {"phone": "+1 555 0100", "tags": ["repeat"]})
    assert changed.status_code == 200
    assert changed.json()["tags"] == ["repeat"]
    assert changed.json()["phone"] == "+1 555 0100"
    kept = api.patch(detail(client), {"company": "Dee Corp"})
    assert kept.json()["tags"] == ["repeat"]
    assert api.delete(detail(client)).status_code == 204
    assert not Client.objects.filter(pk=client.pk).exists()


def test_a_client_with_events_cannot_be_deleted(owner, client_a, event_a, api_for):
    response = api_for(owner).delete(detail(client_a))
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert "has events" in response.json()["detail"]


def test_errors_name_the_field(staff_dj, api_for):
    response = api_for(staff_dj).post(URL, {"email": "nope", "source": "psychic", "tags": ["x" * 41]})
    assert response.status_code == 400
    assert set(response.json()) == {"name", "email", "source", "tags"}


def test_filter_search_and_ordering(staff_dj, api_for):
    vip = ClientFactory(name="Zed", source="referral", company="Acme")
    vip.tags.add(Tag.objects.create(name="VIP"))
    ClientFactory(name="Amy", source="website")
    api = api_for(staff_dj)

    def names(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.json()
        return [row["name"] for row in response.json()["results"]]

    assert names(source="referral") == ["Zed"]
    assert names(tag="VIP") == ["Zed"]
    assert names(search="acme") == ["Zed"]
    assert names(ordering="-name") == ["Zed", "Amy"]


def test_updated_since(staff_dj, api_for):
    old, recent = ClientFactory.create_batch(2)
    instant = timezone.now() - dt.timedelta(days=1)
    Client.objects.filter(pk=old.pk).update(updated_at=instant - dt.timedelta(seconds=1))
    Client.objects.filter(pk=recent.pk).update(updated_at=instant)
    api = api_for(staff_dj)
    response = api.get(URL, {"updated_since": instant.isoformat()})
    assert [row["uuid"] for row in response.json()["results"]] == [str(recent.uuid)]
    assert list(api.get(URL, {"updated_since": "2030-02-30T00:00"}).json()) == ["updated_since"]


def test_etag_304(client_a, api_for, etag_round_trip):
    api = api_for(client_a.user)
    etag_round_trip(api, URL)
    etag_round_trip(api, detail(client_a))


def test_the_list_runs_the_same_queries_for_3_and_30_clients(staff_dj, api_for, list_queries):
    tags = [Tag.objects.create(name="VIP"), Tag.objects.create(name="repeat")]

    def add_clients(count):
        for client in ClientFactory.create_batch(count):
            client.tags.set(tags)
            EventFactory(client=client)

    api = api_for(staff_dj)
    add_clients(3)
    few = list_queries(api, URL)
    add_clients(27)
    many = list_queries(api, URL)
    assert (few[1], many[1]) == (3, 30)
    assert few[0] == many[0]
