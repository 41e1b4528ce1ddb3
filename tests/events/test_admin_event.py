"""The event admin: staff access, status actions, edit conflicts and double-booked DJs shown as errors."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client as Browser
from django.urls import reverse

from events.models import Event, StaffAssignment, TimelineItem
from tests.factories import (
    EventFactory,
    SongRequestFactory,
    StaffAssignmentFactory,
    TimelineItemFactory,
    UserFactory,
    VenueFactory,
)

CHANGELIST = reverse("admin:events_event_changelist")


def _change_url(event: Event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


def _browser(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def form_data(response) -> dict:
    """What a browser would post back, unchanged, for the admin form (and its inlines) in `response`."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if field.field.disabled or value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else str(value)
    return data


def add_inline_row(data: dict, prefix: str, **fields) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": str(value) for name, value in fields.items()})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who may use it ------------------------------------------------------------------------------------


def test_staff_dj_works_with_events_but_not_logins(staff_dj, event_a):
    browser = _browser(staff_dj)
    assert browser.get(CHANGELIST).status_code == 200
    assert browser.get(_change_url(event_a)).status_code == 200
    assert browser.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert browser.get(reverse("admin:accounts_businessprofile_changelist")).status_code == 403
    index = browser.get(reverse("admin:index")).content.decode()
    assert "Events" in index
    assert reverse("admin:accounts_user_changelist") not in index


def test_staff_dj_sees_the_client_login_but_cannot_relink_it(staff_dj, client_a):
    page = _browser(staff_dj).get(reverse("admin:events_client_change", args=[client_a.pk]))
    assert page.status_code == 200
    assert "user" not in page.context["adminform"].form.fields


# --- Status actions --------------------------------------------------------------------------------


def test_mark_booked_goes_through_the_pipeline(owner, event_a):
    response = _browser(owner).post(CHANGELIST, {"action": "mark_booked", "_selected_action": [event_a.pk]})
    assert response.status_code == 302
    event_a.refresh_from_db()
    assert event_a.status == "booked"
    assert "Marked 1 event as Booked." in _messages(response)


def test_an_invalid_transition_is_reported_per_row_and_the_rest_still_change(owner, event_a, event_b):
    Event.objects.filter(pk=event_a.pk).update(status="completed")
    response = _browser(owner).post(
        CHANGELIST, {"action": "mark_booked", "_selected_action": [event_a.pk, event_b.pk]}, follow=True
    )
    assert response.status_code == 200
    messages = _messages(response)
    assert any("Alice & Alex wedding" in m and "cannot go from Completed to Booked" in m for m in messages)
    assert "Marked 1 event as Booked." in messages
    event_a.refresh_from_db()
    event_b.refresh_from_db()
    assert (event_a.status, event_b.status) == ("completed", "booked")


def test_cancelling_from_the_list_frees_the_dj(owner, staff_dj, event_a):
    StaffAssignmentFactory(event=event_a, staff=staff_dj)
    _browser(owner).post(CHANGELIST, {"action": "mark_cancelled", "_selected_action": [event_a.pk]})
    assert StaffAssignment.objects.get(event=event_a).released_at is not None


def test_an_event_already_in_that_status_is_left_alone(owner, event_a):
    event_a.status = "booked"
    event_a.save()
    response = _browser(owner).post(CHANGELIST, {"action": "mark_booked", "_selected_action": [event_a.pk]})
    assert any("is already Booked" in message for message in _messages(response))
    event_a.refresh_from_db()
    assert event_a.version == 2


# --- The change form -------------------------------------------------------------------------------


def test_saving_the_form_unchanged_keeps_the_event(owner, event_a):
    browser = _browser(owner)
    data = form_data(browser.get(_change_url(event_a)))
    response = browser.post(_change_url(event_a), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event_a.refresh_from_db()
    assert (event_a.price_cents, event_a.version) == (250_000, 2)


def test_the_price_is_typed_in_dollars_and_stored_in_cents(owner, event_a):
    browser = _browser(owner)
    data = form_data(browser.get(_change_url(event_a)))
    assert data["price_cents"] == "2500.00"
    data["price_cents"] = "3,150.50"
    assert browser.post(_change_url(event_a), data).status_code == 302
    event_a.refresh_from_db()
    assert event_a.price_cents == 315_050


@pytest.mark.parametrize(("typed", "error"), [("12.345", "2 decimal places"), ("99999999999", "too large"), ("-5", "")])
def test_a_price_that_cannot_be_stored_is_refused_on_the_form(owner, event_a, typed, error):
    browser = _browser(owner)
    data = form_data(browser.get(_change_url(event_a)))
    data["price_cents"] = typed
    response = browser.post(_change_url(event_a), data)
    assert response.status_code == 200
    assert error in str(response.context["adminform"].form.errors["price_cents"])


def test_the_status_menu_offers_only_the_next_steps_of_the_pipeline(owner, event_a):
    Event.objects.filter(pk=event_a.pk).update(status="booked")
    form = _browser(owner).get(_change_url(event_a)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["booked", "completed", "cancelled"]


def test_a_new_event_gets_its_slug_and_times_from_the_venue(owner, client_a):
    venue = VenueFactory(time_zone="America/Los_Angeles")
    browser = _browser(owner)
    data = form_data(browser.get(reverse("admin:events_event_add")))
    data.update(
        title="Beach party",
        client=client_a.pk,
        venue=venue.pk,
        date="2031-07-04",
        start_time="18:00",
        end_time="23:00",
        price_cents="1200",
    )
    response = browser.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(title="Beach party")
    assert event.slug.startswith("beach-party-")
    assert event.starts_at == dt.datetime(2031, 7, 5, 1, 0, tzinfo=dt.UTC)
    assert event.price_cents == 120_000


def test_timeline_rows_are_saved_from_the_event_form(owner, event_a):
    TimelineItemFactory(event=event_a, title="Grand entrance")
    browser = _browser(owner)
    data = form_data(browser.get(_change_url(event_a)))
    add_inline_row(data, "timeline", time="19:45", kind="first_dance", title="First dance", position=1)
    data["timeline-0-DELETE"] = "on"
    assert browser.post(_change_url(event_a), data).status_code == 302
    assert list(TimelineItem.objects.filter(event=event_a).values_list("title", flat=True)) == ["First dance"]


def test_after_midnight_items_of_a_late_party_come_last(owner):
    event = EventFactory(start_time=dt.time(20), end_time=dt.time(1))
    TimelineItemFactory(event=event, time=dt.time(0, 45), title="Last dance")
    TimelineItemFactory(event=event, time=dt.time(20), title="Doors open")
    formset = _browser(owner).get(_change_url(event)).context["inline_admin_formsets"][1].formset
    assert [form.instance.title for form in formset.forms] == ["Doors open", "Last dance"]


# --- Two people, one event -------------------------------------------------------------------------


def test_the_later_of_two_saves_gets_a_conflict_and_the_first_is_kept(owner, staff_dj, event_a):
    owner_browser, dj_browser = _browser(owner), _browser(staff_dj)
    owners_form = form_data(owner_browser.get(_change_url(event_a)))
    djs_form = form_data(dj_browser.get(_change_url(event_a)))
    owners_form["guest_count"] = "120"
    djs_form["guest_count"] = "80"

    assert owner_browser.post(_change_url(event_a), owners_form).status_code == 302
    response = dj_browser.post(_change_url(event_a), djs_form)

    assert response.status_code == 200
    assert "Someone else saved this event while you were editing it" in response.content.decode()
    assert response.context["adminform"].form.non_field_errors()
    event_a.refresh_from_db()
    assert (event_a.guest_count, event_a.version) == (120, 2)


# --- DJs booked twice ------------------------------------------------------------------------------


def _busy_dj(staff_dj, day: dt.date) -> None:
    other = EventFactory(title="Other wedding", date=day, start_time=dt.time(17), end_time=dt.time(22))
    StaffAssignmentFactory(event=other, staff=staff_dj)


def test_assigning_a_dj_booked_elsewhere_shows_an_error_on_the_row(owner, staff_dj, event_a):
    _busy_dj(staff_dj, event_a.date)
    browser = _browser(owner)
    data = form_data(browser.get(_change_url(event_a)))
    data["guest_count"] = "150"
    add_inline_row(data, "assignments", staff=staff_dj.pk, role="lead_dj")

    response = browser.post(_change_url(event_a), data)

    assert response.status_code == 200
    staff_formset = response.context["inline_admin_formsets"][0].formset
    assert "already booked at that time (Other wedding" in str(staff_formset.forms[0].errors["staff"])
    assert not StaffAssignment.objects.filter(event=event_a).exists()
    event_a.refresh_from_db()
    assert event_a.guest_count is None  # nothing of the refused save was kept


def test_moving_an_event_onto_its_djs_other_booking_shows_an_error_on_the_time(owner, staff_dj, event_a):
    StaffAssignmentFactory(event=event_a, staff=staff_dj)
    _busy_dj(staff_dj, event_a.date + dt.timedelta(days=1))
    browser = _browser(owner)
    data = form_data(browser.get(_change_url(event_a)))
    data["date"] = str(event_a.date + dt.timedelta(days=1))

    response = browser.post(_change_url(event_a), data)

    assert response.status_code == 200
    assert "booked elsewhere at the new time" in str(response.context["adminform"].form.errors["start_time"])
    event_a.refresh_from_db()
    assert event_a.version == 1


def test_the_assignment_admin_refuses_a_double_booking_with_a_form_error(owner, staff_dj, event_a):
    _busy_dj(staff_dj, event_a.date)
    url = reverse("admin:events_staffassignment_add")
    response = _browser(owner).post(url, {"event": event_a.pk, "staff": staff_dj.pk, "role": "lead_dj"})
    assert response.status_code == 200
    assert "already booked at that time" in str(response.context["adminform"].form.errors["staff"])
    assert StaffAssignment.objects.filter(staff=staff_dj).count() == 1


def test_the_assignment_admin_assigns_a_free_dj(owner, staff_dj, event_a):
    url = reverse("admin:events_staffassignment_add")
    response = _browser(owner).post(url, {"event": event_a.pk, "staff": staff_dj.pk, "role": "mc"})
    assert response.status_code == 302
    assignment = StaffAssignment.objects.get(staff=staff_dj)
    assert (assignment.event, assignment.role, assignment.starts_at) == (event_a, "mc", event_a.starts_at)


@pytest.mark.parametrize("role", ["client"])
def test_only_the_business_can_be_picked_as_a_dj(owner, event_a, role):
    not_a_dj = UserFactory(role=role)
    response = _browser(owner).post(
        reverse("admin:events_staffassignment_add"), {"event": event_a.pk, "staff": not_a_dj.pk, "role": "lead_dj"}
    )
    assert response.status_code == 200
    assert "staff" in response.context["adminform"].form.errors


def test_songs_requested_before_the_party_are_listed_on_the_event_for_review(owner, event_a):
    SongRequestFactory(event=event_a, title="Early Bird Song", pre_party=True)
    SongRequestFactory(event=event_a, title="On The Night Song", pre_party=False)
    html = _browser(owner).get(_change_url(event_a)).content.decode()
    assert "Songs requested before the party" in html
    assert "Early Bird Song" in html
    assert "On The Night Song" not in html
