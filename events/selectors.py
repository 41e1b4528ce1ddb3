"""Who may see what: every page, API view and command reads events, clients and venues through these."""

from datetime import datetime, timedelta

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import timezone

from accounts.models import BusinessProfile, User
from events.models import Client, Event, MusicPlan, TimelineItem, Venue
from events.status import EventStatus


def events_visible_to(user: User) -> QuerySet[Event]:
    """Staff see every event of the business; a client only their own; anyone else nothing."""
    if not user.is_authenticated or not user.is_active:
        return Event.objects.none()
    if user.is_business:
        return Event.objects.all()
    return Event.objects.filter(client__user=user)


def clients_visible_to(user: User) -> QuerySet[Client]:
    if not user.is_authenticated or not user.is_active:
        return Client.objects.none()
    if user.is_business:
        return Client.objects.all()
    return Client.objects.filter(user=user)


def venues_visible_to(user: User) -> QuerySet[Venue]:
    if not user.is_authenticated or not user.is_active:
        return Venue.objects.none()
    if user.is_business:
        return Venue.objects.all()
    return Venue.objects.filter(events__client__user=user).distinct()


def events_for_guests() -> QuerySet[Event]:
    """Events whose public guest page (/e/<slug>/) is open: every event that is not cancelled."""
    return Event.objects.exclude(status=EventStatus.CANCELLED)


def music_plan_of(event: Event) -> MusicPlan | None:
    """The event's music plan with its songs, or None while nobody has written one."""
    return MusicPlan.objects.filter(event=event).prefetch_related("songs").first()


def with_client_editable(events: QuerySet[Event], *, now: datetime | None = None) -> QuerySet[Event]:
    """Annotate `client_editable`: Event.client_can_edit() for every row, computed in the same query (the
    method reads the business profile on each call, which a list would pay once per row). Keep the two in
    step; tests/api/test_events.py compares them."""
    cutoff = (now or timezone.now()) + timedelta(days=BusinessProfile.current().client_edit_cutoff_days)
    return events.annotate(
        client_editable=Case(
            When(
                status__in=[EventStatus.INQUIRY, EventStatus.QUOTED, EventStatus.BOOKED],
                starts_at__gt=cutoff,
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def timeline_of(event: Event) -> QuerySet[TimelineItem]:
    """The event's timeline in the order it happens: at a party that runs past midnight, the items after
    midnight come last rather than first."""
    items = event.timeline.all()
    if event.end_time <= event.start_time:
        next_day = Case(When(time__lte=event.end_time, then=Value(1)), default=Value(0))
        return items.order_by(next_day, "time", "position", "id")
    return items
