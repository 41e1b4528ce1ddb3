"""The timeline page of the client portal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import BusinessProfile
from tests.factories import EventFactory, TimelineItemFactory


def _url(event) -> str:
    return reverse("events:portal-timeline", args=[event.uuid])


def _row(index: int, item=None, **values) -> dict:
    fields = {"id": item.pk if item else "", "time": "", "kind": "other", "title": "", "song": "", "notes": ""}
    fields.update(values)
    return {f"timeline-{index}-{name}": value for name, value in fields.items()}


def _post(rows: list[dict], initial: int) -> dict:
    data = {
        "timeline-TOTAL_FORMS": str(len(rows)),
        "timeline-INITIAL_FORMS": str(initial),
        "timeline-MIN_NUM_FORMS": "0",
        "timeline-MAX_NUM_FORMS": "100",
    }
    for row in rows:
        data.update(row)
    return data


def test_timeline_page_lists_items_as_editable_rows_plus_a_blank_one(client, client_a, event_a):
    TimelineItemFactory(event=event_a, time=dt.time(19, 30), title="Grand entrance")
    client.force_login(client_a.user)
    response = client.get(_url(event_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="timeline-TOTAL_FORMS" value="2"' in html
    assert 'value="Grand entrance"' in html
    assert 'value="19:30"' in html
    assert "Save timeline" in html


def test_client_adds_changes_and_removes_timeline_items(client, client_a, event_a):
    entrance = TimelineItemFactory(event=event_a, time=dt.time(19, 30), title="Grand entrance")
    toasts = TimelineItemFactory(event=event_a, time=dt.time(20, 0), title="Toasts", kind="toasts")
    client.force_login(client_a.user)
    data = _post(
        [
            _row(0, entrance, time="19:45", kind="grand_entrance", title="Grand entrance", song="Crazy in Love"),
            _row(1, toasts, time="20:00", kind="toasts", title="Toasts", DELETE="on"),
            _row(2, time="20:30", kind="first_dance", title="First dance", song="At Last", notes="Spotlight"),
        ],
        initial=2,
    )

    response = client.post(_url(event_a), data)

    assert response.status_code == 302
    assert response["Location"] == _url(event_a)
    items = [(item.time, item.kind, item.title, item.song) for item in event_a.timeline.all()]
    assert items == [
        (dt.time(19, 45), "grand_entrance", "Grand entrance", "Crazy in Love"),
        (dt.time(20, 30), "first_dance", "First dance", "At Last"),
    ]
    assert "Timeline saved." in client.get(_url(event_a)).content.decode()


def test_blank_extra_rows_are_ignored(client, client_a, event_a):
    client.force_login(client_a.user)
    assert client.post(_url(event_a), _post([_row(0), _row(1)], initial=0)).status_code == 302
    assert not event_a.timeline.exists()


def test_invalid_rows_show_errors_and_keep_what_was_typed(client, client_a, event_a):
    client.force_login(client_a.user)
    data = _post([_row(0, time="", title="Cake cutting", song="Sugar, Sugar"), _row(1, time="25:99", title="")], 0)

    response = client.post(_url(event_a), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_timeline-0-time_error"><li>Add a time.</li></ul>' in html
    assert "Enter a time such as 19:30." in html
    assert 'value="Cake cutting"' in html and 'value="Sugar, Sugar"' in html
    assert not event_a.timeline.exists()


def test_timeline_inside_the_cutoff_is_read_only_and_a_post_is_refused(client, client_a):
    event = EventFactory(client=client_a, date=timezone.localdate() + dt.timedelta(days=5), status="booked")
    entrance = TimelineItemFactory(event=event, time=dt.time(19, 30), title="Grand entrance")
    client.force_login(client_a.user)

    page = client.get(_url(event))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your plan is locked." in html
    assert "The plan locks shortly before the event." in html
    assert "Changes close 7 days before the event" in html
    assert "Grand entrance" in html
    assert 'name="timeline-TOTAL_FORMS"' not in html

    data = _post([_row(0, entrance, time="18:00", title="Changed", DELETE=""), _row(1, time="21:00", title="New")], 1)
    refused = client.post(_url(event), data)
    assert refused.status_code == 403
    assert "Your plan is locked." in refused.content.decode()
    assert [(item.time, item.title) for item in event.timeline.all()] == [(dt.time(19, 30), "Grand entrance")]


def test_the_cutoff_comes_from_the_business_profile(client, client_a):
    BusinessProfile.objects.create(client_edit_cutoff_days=2)
    event = EventFactory(client=client_a, date=timezone.localdate() + dt.timedelta(days=5), status="booked")
    client.force_login(client_a.user)
    response = client.post(_url(event), _post([_row(0, time="21:00", title="Last dance")], 0))
    assert response.status_code == 302
    assert event.timeline.get().title == "Last dance"


def test_a_completed_event_is_locked_for_good(client, client_a):
    event = EventFactory(client=client_a, date=timezone.localdate() - dt.timedelta(days=5), status="completed")
    client.force_login(client_a.user)
    html = client.get(_url(event)).content.decode()
    assert "This event&#x27;s plan is locked. Contact your DJ to change it." in html
    assert "Changes close" not in html


@pytest.mark.parametrize("delete", ["", "on"])
def test_an_item_of_another_event_cannot_be_changed_or_removed_through_this_one(
    client, client_a, event_a, event_b, delete
):
    foreign = TimelineItemFactory(event=event_b, time=dt.time(19, 0), title="Their entrance")
    client.force_login(client_a.user)

    client.post(_url(event_a), _post([_row(0, foreign, time="18:00", title="Hijacked", DELETE=delete)], 1))

    foreign.refresh_from_db()
    assert (foreign.event, foreign.title, foreign.time) == (event_b, "Their entrance", dt.time(19, 0))
    assert not event_a.timeline.exists()


def test_items_after_midnight_come_last_at_a_late_party(client, client_a):
    event = EventFactory(client=client_a, start_time=dt.time(20), end_time=dt.time(2))
    TimelineItemFactory(event=event, time=dt.time(0, 30), title="Late-night snack")
    TimelineItemFactory(event=event, time=dt.time(21), title="First dance")
    client.force_login(client_a.user)
    html = client.get(f"/portal/events/{event.uuid}/").content.decode()
    assert html.index("First dance") < html.index("Late-night snack")
