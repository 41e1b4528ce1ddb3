import datetime as dt
import threading

import pytest
from django.db import connection

from events.errors import DoubleBooked
from events.models import StaffAssignment
from events.services import staff_assign
from tests.factories import EventFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_assignments_of_one_dj_cannot_both_win():
    owner = UserFactory(role="owner")
    dj = UserFactory(role="staff")
    day = dt.date(2030, 9, 12)
    events = [EventFactory(date=day, start_time=dt.time(18), end_time=dt.time(23)) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def assign(event):
        try:
            barrier.wait()
            staff_assign(actor=owner, event=event, staff=dj)
            outcomes.append("assigned")
        except DoubleBooked:
            outcomes.append("refused")
        except Exception as error:  # anything else is a bug: show it in the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["assigned", "refused"]
    assert StaffAssignment.objects.filter(staff=dj).count() == 1
