"""Bookings: clients, venues, events and what hangs off an event: timeline, equipment checklist, music plan,
staff."""

import uuid
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import BusinessProfile, validate_time_zone
from events.errors import DoubleBooked, EditConflict, InvalidTransition
from events.status import EventStatus, can_transition


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClientSource(models.TextChoices):
    REFERRAL = "referral", "Referral"
    WEBSITE = "website", "Website"
    VENUE = "venue", "Venue recommendation"
    PLANNER = "planner", "Wedding planner"
    SOCIAL = "social", "Social media"
    DIRECTORY = "directory", "Listing site (The Knot, WeddingWire…)"
    REPEAT = "repeat", "Repeat client"
    OTHER = "other", "Other"


class Client(Timestamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, help_text="Person or couple, e.g. 'Sam & Alex Rivera'.")
    company = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    address = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=ClientSource.choices, default=ClientSource.OTHER)
    tags = models.ManyToManyField(Tag, blank=True, related_name="clients")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_profile",
        help_text="The portal login of this client.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VenueSetting(models.TextChoices):
    INDOOR = "indoor", "Indoor"
    OUTDOOR = "outdoor", "Outdoor"
    BOTH = "both", "Indoor and outdoor"


class Venue(Timestamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150)
    address = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. US.")
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    setting = models.CharField(max_length=10, choices=VenueSetting.choices, default=VenueSetting.INDOOR)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    load_in_notes = models.TextField(blank=True)
    parking_notes = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}" if self.city else self.name


class Package(Timestamped):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    hours = models.DecimalField(max_digits=4, decimal_places=1, default=4, validators=[MinValueValidator(0)])
    price_cents = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["price_cents", "name"]

    def __str__(self) -> str:
        return self.name


class EventType(models.TextChoices):
    WEDDING = "wedding", "Wedding"
    CORPORATE = "corporate", "Corporate"
    BIRTHDAY = "birthday", "Birthday"
    SCHOOL = "school", "School"
    CLUB = "club", "Club"
    PRIVATE_PARTY = "private_party", "Private party"
    OTHER = "other", "Other"


def local_span(day, start, end, time_zone: str) -> tuple[datetime, datetime]:
    """Aware start and end of an event given in local wall-clock time; an end at or before the start is
    the next day (a party from 20:00 to 01:00)."""
    zone = zoneinfo.ZoneInfo(time_zone)
    starts_at = datetime.combine(day, start, tzinfo=zone)
    ends_at = datetime.combine(day, end, tzinfo=zone)
    if ends_at <= starts_at:
        ends_at += timedelta(days=1)
    return starts_at, ends_at


class Event(Timestamped):
    """A booking. Date and times are the venue's wall clock; starts_at/ends_at are the same instants,
    stored aware so that calendars, ordering and the DJ double-booking constraint can query them.

    `version` is bumped by every save: a save made from a stale copy raises EditConflict.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=150)
    event_type = models.CharField(max_length=20, choices=EventType.choices, default=EventType.WEDDING)
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.INQUIRY, db_index=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="events")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="events", null=True, blank=True)
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Taken from the venue; the business's time zone when there is no venue yet.",
    )
    starts_at = models.DateTimeField(editable=False, db_index=True)
    ends_at = models.DateTimeField(editable=False)
    package = models.ForeignKey(Package, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    price_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True)
    guest_count = models.PositiveIntegerField(null=True, blank=True)
    slug = models.SlugField(max_length=80, unique=True, help_text="Public guest page: /e/<slug>/")
    notes = models.TextField(blank=True, help_text="Internal notes, not shown to the client.")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="StaffAssignment", related_name="assigned_events", blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["client", "starts_at"]), models.Index(fields=["status", "date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def clean(self) -> None:
        if self.end_time is not None and self.start_time is not None and self.end_time == self.start_time:
            raise ValidationError({"end_time": "The end time must differ from the start time."})

    def _check_transition(self) -> None:
        """Every save, from any page, API or command, follows the pipeline in events/status.py."""
        previous = getattr(self, "_loaded_status", None)
        if previous and previous != self.status and not can_transition(previous, self.status):
            raise InvalidTransition(
                f"An event cannot go from {EventStatus(previous).label} to {EventStatus(self.status).label}.",
                field="status",
            )

    def save(self, *args, **kwargs):
        self._check_transition()
        business = None
        if not self.time_zone or (self.venue_id and self.venue.time_zone != self.time_zone):
            business = business or BusinessProfile.current()
            self.time_zone = self.venue.time_zone if self.venue_id else business.time_zone
        if not self.currency:
            self.currency = (business or BusinessProfile.current()).currency
        if not self.slug:
            self.slug = f"{slugify(self.title)[:60]}-{uuid.uuid4().hex[:6]}"
        self.starts_at, self.ends_at = local_span(self.date, self.start_time, self.end_time, self.time_zone)
        with transaction.atomic(using=kwargs.get("using")):
            if self.pk and not kwargs.get("force_insert"):
                self._claim_version()
            super().save(*args, **kwargs)
            assignments = StaffAssignment.objects.filter(event=self, released_at=None)
            if self.status == EventStatus.CANCELLED:
                assignments.update(released_at=timezone.now())
            else:
                try:
                    assignments.update(starts_at=self.starts_at, ends_at=self.ends_at)
                except IntegrityError as error:
                    raise DoubleBooked(
                        "A DJ on this event is booked elsewhere at the new time; change their assignment first.",
                        field="start_time",
                    ) from error
        self._loaded_status = self.status

    def _claim_version(self) -> None:
        """Bump the version only if nobody saved since this copy was read; under PostgreSQL the row lock
        makes a concurrent second save wait and then find the version changed."""
        claimed = Event.objects.filter(pk=self.pk, version=self.version).update(version=F("version") + 1)
        if not claimed:
            raise EditConflict(
                "Someone else saved this event while you were editing it. Reload it to see their changes, "
                "then make yours again."
            )
        self.version += 1

    @property
    def local_starts_at(self) -> datetime:
        return timezone.localtime(self.starts_at, zoneinfo.ZoneInfo(self.time_zone))

    def client_can_edit(self, *, now: datetime | None = None) -> bool:
        """Clients may change the timeline and music plan of an open event until the business's cutoff."""
        if self.status not in (EventStatus.INQUIRY, EventStatus.QUOTED, EventStatus.BOOKED):
            return False
        cutoff = self.starts_at - timedelta(days=BusinessProfile.current().client_edit_cutoff_days)
        return (now or timezone.now()) < cutoff


class StaffAssignment(models.Model):
    """A DJ or tech working an event. The database refuses two assignments of one person whose times
    overlap (an exclusion constraint on PostgreSQL, a trigger on SQLite: see migration 0002)."""

    class Role(models.TextChoices):
        LEAD_DJ = "lead_dj", "Lead DJ"
        SECOND_DJ = "second_dj", "Second DJ"
        MC = "mc", "MC"
        TECH = "tech", "Sound / lighting tech"
        ASSISTANT = "assistant", "Assistant"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.LEAD_DJ)
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    released_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set when the event is cancelled."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "staff"], name="one_assignment_per_staff_per_event")]
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.staff} at {self.event}"

    def save(self, *args, **kwargs):
        self.starts_at, self.ends_at = self.event.starts_at, self.event.ends_at
        super().save(*args, **kwargs)


class TimelineKind(models.TextChoices):
    ARRIVAL = "arrival", "DJ arrival / setup"
    CEREMONY = "ceremony", "Ceremony"
    COCKTAIL_HOUR = "cocktail_hour", "Cocktail hour"
    GRAND_ENTRANCE = "grand_entrance", "Grand entrance"
    DINNER = "dinner", "Dinner"
    TOASTS = "toasts", "Toasts"
    FIRST_DANCE = "first_dance", "First dance"
    PARENT_DANCE = "parent_dance", "Parent dance"
    CAKE_CUTTING = "cake_cutting", "Cake cutting"
    BOUQUET_TOSS = "bouquet_toss", "Bouquet / garter toss"
    OPEN_DANCING = "open_dancing", "Open dancing"
    LAST_DANCE = "last_dance", "Last dance"
    SPEECH = "speech", "Speech / presentation"
    OTHER = "other", "Other"


class TimelineItem(Timestamped):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="timeline")
    time = models.TimeField(help_text="Venue local time.")
    kind = models.CharField(max_length=20, choices=TimelineKind.choices, default=TimelineKind.OTHER)
    title = models.CharField(max_length=150)
    song = models.CharField(max_length=200, blank=True, help_text="Song for this moment, if any.")
    notes = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order among items at the same time.")

    class Meta:
        ordering = ["event", "time", "position", "id"]

    def __str__(self) -> str:
        return f"{self.time:%H:%M} {self.title}"


class EquipmentCategory(models.TextChoices):
    SOUND = "sound", "Sound"
    LIGHTING = "lighting", "Lighting"
    DJ = "dj", "DJ gear"
    MICROPHONE = "microphone", "Microphones"
    VIDEO = "video", "Video / screens"
    POWER = "power", "Power and cables"
    STAGING = "staging", "Staging and stands"
    OTHER = "other", "Other"


class EquipmentItem(Timestamped):
    """The catalogue of gear the business owns."""

    name = models.CharField(max_length=120, unique=True)
    category = models.CharField(max_length=12, choices=EquipmentCategory.choices, default=EquipmentCategory.OTHER)
    quantity_owned = models.PositiveSmallIntegerField(default=1)
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(Timestamped):
    """One line of an event's packing list: catalogue gear, or a free-text item."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checklist")
    equipment = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    label = models.CharField(max_length=120, blank=True, help_text="Defaults to the equipment's name.")
    quantity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    packed = models.BooleanField(default=False)
    notes = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["event", "packed", "label"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.label}"

    def clean(self) -> None:
        if not self.label and self.equipment_id is None:
            raise ValidationError({"label": "Name the item or choose it from the equipment catalogue."})

    def save(self, *args, **kwargs):
        if not self.label and self.equipment_id:
            self.label = self.equipment.name
        super().save(*args, **kwargs)


class MusicPlan(Timestamped):
    """The client's wishes for the music: the general feel, plus must-play, do-not-play and special moments."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="music_plan")
    genres_loved = models.CharField(max_length=255, blank=True, help_text="e.g. 80s, Motown, current pop.")
    genres_avoided = models.CharField(max_length=255, blank=True)
    clean_versions_only = models.BooleanField(default=False)
    guest_requests_allowed = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Music plan for {self.event}"


class SongListKind(models.TextChoices):
    MUST_PLAY = "must_play", "Must play"
    DO_NOT_PLAY = "do_not_play", "Do not play"
    SPECIAL_MOMENT = "special_moment", "Special moment"


class PlannedSong(Timestamped):
    plan = models.ForeignKey(MusicPlan, on_delete=models.CASCADE, related_name="songs")
    kind = models.CharField(max_length=16, choices=SongListKind.choices)
    moment = models.CharField(max_length=100, blank=True, help_text="For special moments, e.g. 'First dance'.")
    title = models.CharField(max_length=200)
    artist = models.CharField(max_length=200, blank=True)
    version_notes = models.CharField(max_length=255, blank=True, help_text="e.g. 'the acoustic version, fade at 2:30'.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "kind", "position", "id"]

    def __str__(self) -> str:
        return f"{self.title} — {self.artist}" if self.artist else self.title

    def clean(self) -> None:
        if self.kind == SongListKind.SPECIAL_MOMENT and not self.moment:
            raise ValidationError({"moment": "Say which moment this song is for, e.g. 'First dance'."})
