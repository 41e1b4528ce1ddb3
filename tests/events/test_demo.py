"""manage.py demo: idempotent demo data around today, tonight's party, printed logins, --if-empty, production."""

import datetime as dt
import zoneinfo
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import BusinessProfile, User
from comms.models import OutboxMessage
from events.models import (
    ChecklistItem,
    Client,
    EquipmentItem,
    Event,
    MusicPlan,
    Package,
    PlannedSong,
    StaffAssignment,
    Tag,
    TimelineItem,
    Venue,
)
from music.models import Track
from music.selectors import track_search

MODELS = [
    BusinessProfile,
    User,
    Tag,
    Client,
    Venue,
    Package,
    EquipmentItem,
    Event,
    StaffAssignment,
    TimelineItem,
    ChecklistItem,
    MusicPlan,
    PlannedSong,
    Track,
]


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _snapshot() -> dict:
    """Row counts, plus every event's identity, version and dates: what a second run must not change."""
    counts = {model.__name__: model.objects.count() for model in MODELS}
    events = set(Event.objects.values_list("pk", "slug", "version", "date", "status", "updated_at"))
    return {"counts": counts, "events": events}


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    _demo()
    first = _snapshot()
    _demo()
    assert _snapshot() == first
    assert first["counts"]["Client"] >= 4
    assert first["counts"]["Event"] >= 6


@pytest.mark.django_db
def test_the_business_is_set_up_for_new_york_in_dollars():
    _demo()
    business = BusinessProfile.current()
    assert (business.name, business.currency, business.time_zone) == (
        "Night Owl Entertainment",
        "USD",
        "America/New_York",
    )
    assert (business.tax_name, str(business.tax_rate)) == ("Sales tax", "8.875")


@pytest.mark.django_db
def test_tonights_party_is_booked_and_today_at_its_venue():
    _demo()
    party = Event.objects.get(slug="demo-party")
    today_there = timezone.localdate(timezone=zoneinfo.ZoneInfo(party.venue.time_zone))
    assert party.status == "booked"
    assert party.date == today_there
    assert party.local_starts_at.hour >= 17
    assert party.assignments.filter(released_at=None).exists()
    assert party.music_plan.guest_requests_allowed
    assert [track.title for track in track_search("dancing queen")] == ["Dancing Queen"]  # guests can search


@pytest.mark.django_db
def test_there_are_past_and_upcoming_events_of_several_kinds_in_several_time_zones():
    _demo()
    now = timezone.now()
    assert Event.objects.filter(ends_at__lt=now, status="completed").count() >= 2
    assert Event.objects.filter(starts_at__gt=now).count() >= 3
    assert {"wedding", "corporate", "birthday", "school"} <= set(Event.objects.values_list("event_type", flat=True))
    assert len(set(Venue.objects.values_list("time_zone", flat=True))) >= 2
    assert PlannedSong.objects.exists()
    assert TimelineItem.objects.exists()
    assert ChecklistItem.objects.exists()


@pytest.mark.django_db
def test_the_printed_logins_work():
    out = _demo()
    logins = [
        ("owner", "owner@demo.djbiz.test", "demo-owner-pass"),
        ("staff", "dj.maya@demo.djbiz.test", "demo-staff-pass"),
        ("staff", "dj.leo@demo.djbiz.test", "demo-staff-pass"),
        ("client", "client.sam@demo.djbiz.test", "demo-client-pass"),
        ("client", "client.priya@demo.djbiz.test", "demo-client-pass"),
    ]
    lines = [line.split() for line in out.splitlines()]
    for role, email, password in logins:
        assert [role, email, password] in lines
        user = authenticate(username=email, password=password)
        assert user is not None
        assert user.role == role
    assert Client.objects.get(user__email="client.sam@demo.djbiz.test").events.exists()
    assert Client.objects.get(user__email="client.priya@demo.djbiz.test").events.exists()


@pytest.mark.django_db
def test_a_re_run_weeks_later_moves_the_events_along_and_keeps_them():
    """Thirty days on, tonight's party lands on the date of a wedding that Maya DJs; it must not clash."""
    _demo()
    before = dict(Event.objects.values_list("slug", "pk"))
    later = timezone.now() + dt.timedelta(days=30)
    with mock.patch("django.utils.timezone.now", return_value=later):
        _demo()
        today_there = timezone.localdate(timezone=zoneinfo.ZoneInfo("America/New_York"))
    assert dict(Event.objects.values_list("slug", "pk")) == before
    assert Event.objects.get(slug="demo-party").date == today_there


@pytest.mark.django_db
def test_if_empty_loads_once():
    _demo("--if-empty")
    assert Event.objects.filter(slug="demo-party").exists()
    out = _demo("--if-empty")
    assert out.strip() == "A business profile exists already, so no demo data was loaded (--if-empty)."


@pytest.mark.django_db
def test_if_empty_leaves_a_real_business_alone():
    BusinessProfile(name="Real Sounds").save()
    _demo("--if-empty")
    assert BusinessProfile.current().name == "Real Sounds"
    assert not Event.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
@override_settings(DJANGO_ENV="production")
def test_production_is_refused_unless_forced():
    with pytest.raises(CommandError, match="DJANGO_ENV=production"):
        _demo()
    assert not User.objects.exists()
    _demo("--force")
    assert Event.objects.filter(slug="demo-party").exists()
