import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events.errors import EditConflict, InvalidTransition
from events.models import Event
from events.services import event_change_status, event_save
from tests.factories import ClientFactory, VenueFactory


def test_new_event_gets_times_in_the_venue_zone_and_a_public_slug(owner):
    venue = VenueFactory(time_zone="Europe/London")
    event = event_save(
        actor=owner,
        event=Event(),
        fields={
            "title": "Summer Party",
            "client": ClientFactory(),
            "venue": venue,
            "date": dt.date(2030, 7, 1),
            "start_time": dt.time(20),
            "end_time": dt.time(1),
        },
    )
    assert event.time_zone == "Europe/London"
    assert event.starts_at == dt.datetime(2030, 7, 1, 19, 0, tzinfo=dt.UTC)
    assert event.ends_at == dt.datetime(2030, 7, 2, 0, 0, tzinfo=dt.UTC)
    assert event.slug.startswith("summer-party-")


def test_missing_fields_are_named(owner):
    with pytest.raises(ValidationError) as error:
        event_save(actor=owner, event=Event(), fields={"title": "No date"})
    assert {"date", "start_time", "end_time", "client"} <= set(error.value.message_dict)


def test_stale_copy_gets_a_conflict_and_does_not_overwrite(owner, event_a):
    first = Event.objects.get(pk=event_a.pk)
    second = Event.objects.get(pk=event_a.pk)
    event_save(actor=owner, event=first, fields={"guest_count": 120})
    with pytest.raises(EditConflict, match="Someone else saved this event"):
        event_save(actor=owner, event=second, fields={"guest_count": 80})
    event_a.refresh_from_db()
    assert event_a.guest_count == 120
    assert event_a.version == 2


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["quoted", "booked", "completed"], True),
        (["booked", "cancelled", "inquiry"], True),
        (["completed"], False),
        (["booked", "quoted"], False),
        (["booked", "completed", "cancelled"], False),
    ],
)
def test_status_pipeline(owner, event_a, path, allowed):
    def walk():
        for status in path:
            event_change_status(actor=owner, event=event_a, status=status)

    if allowed:
        walk()
        assert Event.objects.get(pk=event_a.pk).status == path[-1]
    else:
        with pytest.raises(InvalidTransition):
            walk()
