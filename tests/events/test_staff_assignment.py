import datetime as dt

import pytest

from events.errors import DoubleBooked
from events.services import event_change_status, staff_assign
from tests.factories import EventFactory


def _event_on(day, start, end, **kwargs):
    return EventFactory(date=day, start_time=start, end_time=end, **kwargs)


def test_overlapping_events_cannot_share_a_dj(staff_dj, owner):
    day = dt.date(2030, 6, 1)
    first = _event_on(day, dt.time(18), dt.time(23))
    second = _event_on(day, dt.time(22), dt.time(2))
    staff_assign(actor=owner, event=first, staff=staff_dj)
    with pytest.raises(DoubleBooked, match="already booked"):
        staff_assign(actor=owner, event=second, staff=staff_dj)


def test_back_to_back_events_are_allowed(staff_dj, owner):
    day = dt.date(2030, 6, 1)
    staff_assign(actor=owner, event=_event_on(day, dt.time(12), dt.time(16)), staff=staff_dj)
    assignment = staff_assign(actor=owner, event=_event_on(day, dt.time(16), dt.time(20)), staff=staff_dj)
    assert assignment.pk


def test_cancelling_an_event_frees_its_dj(staff_dj, owner):
    day = dt.date(2030, 6, 1)
    first = _event_on(day, dt.time(18), dt.time(23))
    staff_assign(actor=owner, event=first, staff=staff_dj)
    event_change_status(actor=owner, event=first, status="cancelled")
    assert staff_assign(actor=owner, event=_event_on(day, dt.time(19), dt.time(22)), staff=staff_dj).pk


def test_moving_an_event_onto_another_booking_of_its_dj_is_refused(staff_dj, owner):
    day = dt.date(2030, 6, 1)
    staff_assign(actor=owner, event=_event_on(day, dt.time(12), dt.time(15)), staff=staff_dj)
    later = _event_on(day, dt.time(18), dt.time(23))
    staff_assign(actor=owner, event=later, staff=staff_dj)
    later.start_time = dt.time(14)
    with pytest.raises(DoubleBooked):
        later.save()
    later.refresh_from_db()
    assert later.start_time == dt.time(18)
