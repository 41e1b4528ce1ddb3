"""Bookings: events, their staff, timeline, checklist and music plan; clients and venues."""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from accounts.models import User
from djbiz.errors import ConflictError
from events.errors import DoubleBooked, EditConflict, NotEditable
from events.models import (
    ChecklistItem,
    Client,
    Event,
    MusicPlan,
    PlannedSong,
    StaffAssignment,
    Tag,
    TimelineItem,
    Venue,
)
from events.status import EventStatus


def event_save(*, actor: User, event: Event, fields: dict, version: int | None = None) -> Event:
    """Create (unsaved `event`) or change an event. Validates like a form (ValidationError names the
    field), refuses a status jump outside the pipeline (InvalidTransition, a 409) and raises EditConflict
    when `version` is stale."""
    for name, value in fields.items():
        setattr(event, name, value)
    if version is not None:
        event.version = version
    event.full_clean(exclude=["slug"] if not event.slug else None)
    event.save()
    return event


def event_change_status(*, actor: User | None, event: Event, status: str, version: int | None = None) -> Event:
    """Move an event along the pipeline (events/status.py); `version` guards against stale edits."""
    if version is not None:
        event.version = version
    event.status = status
    event.save()
    return event


def staff_assign(
    *, actor: User, event: Event, staff: User, role: str = StaffAssignment.Role.LEAD_DJ
) -> StaffAssignment:
    """Put a DJ on an event. The database refuses a DJ whose other assignments overlap in time, so two
    people assigning the same DJ at once cannot both succeed."""
    if not staff.is_business:
        raise DoubleBooked("Only the owner or staff DJs can be assigned to an event.", field="staff")
    try:
        with transaction.atomic():
            # Lock the DJ's row so that concurrent assignments of one DJ queue up: PostgreSQL would
            # otherwise settle two crossing inserts under the exclusion constraint with a deadlock error.
            User.objects.select_for_update().filter(pk=staff.pk).first()
            return StaffAssignment.objects.create(event=event, staff=staff, role=role)
    except IntegrityError as error:
        clash = (
            StaffAssignment.objects.filter(
                staff=staff, released_at=None, starts_at__lt=event.ends_at, ends_at__gt=event.starts_at
            )
            .select_related("event")
            .first()
        )
        if clash and clash.event_id == event.pk:
            raise DoubleBooked(f"{staff} is already on this event.", field="staff") from error
        where = f" ({clash.event.title}, {clash.event.local_starts_at:%b %d %H:%M})" if clash else ""
        raise DoubleBooked(f"{staff} is already booked at that time{where}.", field="staff") from error


def plan_check_editable(*, actor: User, event: Event) -> None:
    """Raise NotEditable when this person may not change the event's plan or timeline now."""
    if actor.is_business:
        return
    if not event.client_can_edit():
        raise NotEditable(
            "This event's plan is locked. Contact your DJ to change it."
            if event.status in (EventStatus.COMPLETED, EventStatus.CANCELLED)
            else "The plan locks shortly before the event. Contact your DJ to change it now."
        )


def music_plan_for(event: Event) -> MusicPlan:
    plan, _ = MusicPlan.objects.get_or_create(event=event)
    return plan


def music_plan_update(*, actor: User, event: Event, fields: dict, songs: list[dict] | None = None) -> MusicPlan:
    """Change the plan's general wishes and, when `songs` is given, replace its song lists with it."""
    plan_check_editable(actor=actor, event=event)
    with transaction.atomic():
        plan = music_plan_for(event)
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.full_clean()
        plan.save()
        if songs is not None:
            plan.songs.all().delete()
            new_songs = [PlannedSong(plan=plan, position=index, **song) for index, song in enumerate(songs)]
            for song in new_songs:
                song.full_clean(exclude=["plan"])
            PlannedSong.objects.bulk_create(new_songs)
    return plan


def timeline_item_save(*, actor: User, event: Event, item: TimelineItem) -> TimelineItem:
    plan_check_editable(actor=actor, event=event)
    item.event = event
    item.full_clean()
    item.save()
    return item


def timeline_item_delete(*, actor: User, event: Event, item: TimelineItem) -> None:
    plan_check_editable(actor=actor, event=event)
    item.delete()


def events_complete_finished(*, now) -> int:
    """Mark every booked event that has ended as completed; returns how many changed. Running it twice
    changes nothing more. An event someone is editing right now is left for the next run."""
    completed = 0
    for event in Event.objects.filter(status=EventStatus.BOOKED, ends_at__lte=now).select_related("venue"):
        try:
            event_change_status(actor=None, event=event, status=EventStatus.COMPLETED)
            completed += 1
        except EditConflict:
            continue
    return completed


def timeline_update(
    *, actor: User, event: Event, items: list[TimelineItem], deleted: list[TimelineItem]
) -> list[TimelineItem]:
    """Save new and changed timeline items and delete removed ones, all or nothing. The caller passes
    items of this event only (the portal's formset looks them up in event.timeline)."""
    with transaction.atomic():
        for item in deleted:
            timeline_item_delete(actor=actor, event=event, item=item)
        return [timeline_item_save(actor=actor, event=event, item=item) for item in items]


def _delete_unless_referenced(instance, message: str) -> None:
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as error:
        raise ConflictError(message, code="in_use") from error


def event_delete(*, actor: User, event: Event) -> None:
    """Delete an event with its timeline, checklist, music plan and staff assignments."""
    _delete_unless_referenced(event, "Other records (such as invoices) refer to this event; cancel it instead.")


def client_save(*, actor: User, client: Client, fields: dict, tags: list[str] | None = None) -> Client:
    """Create (unsaved `client`) or change a client. `tags`, when given, replaces the client's tags by name,
    creating the ones that do not exist yet."""
    for name, value in fields.items():
        setattr(client, name, value)
    client.full_clean()
    with transaction.atomic():
        client.save()
        if tags is not None:
            client.tags.set([Tag.objects.get_or_create(name=name)[0] for name in dict.fromkeys(tags)])
    return client


def client_delete(*, actor: User, client: Client) -> None:
    _delete_unless_referenced(client, "This client has events. Delete or reassign their events first.")


def venue_save(*, actor: User, venue: Venue, fields: dict) -> Venue:
    """Create (unsaved `venue`) or change a venue."""
    for name, value in fields.items():
        setattr(venue, name, value)
    venue.full_clean()
    venue.save()
    return venue


def venue_delete(*, actor: User, venue: Venue) -> None:
    _delete_unless_referenced(venue, "Events take place at this venue. Move them to another venue first.")


def checklist_item_save(*, actor: User, event: Event, item: ChecklistItem) -> ChecklistItem:
    item.event = event
    item.full_clean()
    item.save()
    return item


def checklist_item_delete(*, actor: User, event: Event, item: ChecklistItem) -> None:
    item.delete()
