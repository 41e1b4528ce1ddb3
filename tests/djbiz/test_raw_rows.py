"""djbiz.raw_rows makes the same instances from plain SQL as the ORM does, on SQLite and PostgreSQL alike."""

import uuid

import pytest

from djbiz.raw_rows import first_instance
from events.models import Bid, Event
from events.services import bid_place, bidding_open
from tests.factories import LiveNightFactory

pytestmark = pytest.mark.django_db


def fields_of(instance) -> list:
    return [getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields]


def test_an_instance_has_every_field_converted_as_the_orm_converts_it(event_a, staff_dj):
    LiveNightFactory(event=event_a)
    bidding_open(actor=staff_dj, event=event_a)
    request = event_a.song_requests.create(guest_id=uuid.uuid4(), title="Hey Ya!", normalized="hey ya")
    bid, _ = bid_place(
        event=event_a, guest_id=uuid.uuid4(), request_id=request.pk, amount_cents=900, client_request_id="k"
    )

    event = first_instance(Event, "SELECT * FROM events_event WHERE slug = %s", [event_a.slug])
    found = first_instance(Bid, "SELECT * FROM events_bid WHERE amount_cents = %s", [900])

    assert fields_of(event) == fields_of(Event.objects.get(pk=event_a.pk))  # dates, times, decimals, uuid
    assert fields_of(found) == fields_of(Bid.objects.get(pk=bid.pk))
    assert isinstance(found.id, uuid.UUID) and found.created_at.tzinfo is not None
    assert not found._state.adding and found._state.db == "default"


def test_extra_columns_come_back_beside_the_instance_and_no_row_is_none(event_a):
    sql = "SELECT *, 1 + 1 FROM events_event WHERE slug = %s"
    event, extra = first_instance(Event, sql, [event_a.slug], extra=1)
    assert (event.pk, extra) == (event_a.pk, [2])
    assert first_instance(Event, sql, ["no-such-party"], extra=1) == (None, [])
    assert first_instance(Event, "SELECT * FROM events_event WHERE slug = %s", ["no-such-party"]) is None


def test_a_statement_that_leaves_a_field_out_is_refused(event_a):
    with pytest.raises(ValueError, match="does not select created_at"):
        first_instance(Event, "SELECT id, slug FROM events_event WHERE slug = %s", [event_a.slug])
