"""The reads of the busiest requests of a party night, in plain SQL: every guest API call finds its event; every
bid reads the settings, its round, its retry and the leader. Django compiles a queryset each time it runs, about
0.5 ms of CPU per query here, more than PostgreSQL takes to answer it; in plain SQL a bid costs 30% less CPU (8.1 ->
5.7 ms in process; benchmarks/bids.py measures whole requests). The statements are written once; rows come back as
model instances through djbiz.raw_rows, which applies the backend's converters, and parameters are prepared by
their fields (a UUID is text on SQLite). Each function names the ORM query it stands for; tests/live cover them on
SQLite and PostgreSQL alike."""

import uuid

from django.db import connection

from djbiz.raw_rows import first_instance
from events.models import Bid, BiddingRound, Event, LiveNight, SongRequest
from events.status import EventStatus

_UUID = SongRequest._meta.pk


def prepare_uuid(value: uuid.UUID) -> object:
    """A UUID as the database takes it in a raw statement."""
    return _UUID.get_db_prep_value(value, connection)


def as_uuid(value) -> uuid.UUID:
    """A UUID column's value from a raw statement (PostgreSQL gives UUIDs, SQLite hex text)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def event_for_guests(slug: str) -> Event | None:
    """events_for_guests().filter(slug=slug).first(): the event whose guest page is open at this address."""
    sql = "SELECT * FROM events_event WHERE slug = %s AND status <> %s"
    return first_instance(Event, sql, [slug, EventStatus.CANCELLED])


def settings_and_request_status(*, event_id: int, request_id: uuid.UUID) -> tuple[LiveNight | None, str | None]:
    """The event's LiveNight (None before the night was set up) and the status of its request `request_id` (None
    when the event has no such request), in one query."""
    live, extra = first_instance(
        LiveNight,
        "SELECT live.*, request.status FROM events_livenight live "
        "LEFT JOIN events_songrequest request ON request.event_id = live.event_id AND request.id = %s "
        "WHERE live.event_id = %s",
        [prepare_uuid(request_id), event_id],
        extra=1,
    )
    if live is None:
        status = SongRequest.objects.filter(pk=request_id, event_id=event_id).values_list("status", flat=True).first()
        return None, status
    return live, extra[0]


_LATEST_ROUND_SQL = "SELECT * FROM events_biddinground WHERE event_id = %s ORDER BY number DESC LIMIT 1"


def latest_round_locked(event_id: int) -> BiddingRound | None:
    """BiddingRound.objects.select_for_update().filter(event=…).order_by("-number").first() (SQLite takes the
    database's write lock at BEGIN instead)."""
    sql = _LATEST_ROUND_SQL + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    return first_instance(BiddingRound, sql, [event_id])


def bid_of_client_request(*, event_id: int, guest_id: uuid.UUID, client_request_id: str) -> Bid | None:
    """The bid a guest's earlier attempt with this client_request_id made at the event, in any round."""
    return first_instance(
        Bid,
        "SELECT bid.* FROM events_bid bid JOIN events_biddinground round ON round.id = bid.round_id "
        "WHERE round.event_id = %s AND bid.guest_id = %s AND bid.client_request_id = %s LIMIT 1",
        [event_id, prepare_uuid(guest_id), client_request_id],
    )
