"""factory_boy factories for volume; the personas in conftest.py use them too."""

import datetime as dt
import uuid

import factory
from django.utils import timezone

from accounts.models import Role, User
from comms.models import OutboxMessage
from events.models import (
    ChecklistItem,
    Client,
    EquipmentItem,
    Event,
    LiveNight,
    MusicPlan,
    Package,
    PlannedSong,
    SongRequest,
    StaffAssignment,
    TimelineItem,
    Venue,
)
from events.songs import normalize_song
from music.models import Track


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    role = Role.CLIENT
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    city = "Brooklyn"
    time_zone = "America/New_York"


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"client{n}@example.com")


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package
        django_get_or_create = ("name",)

    name = "Gold"
    price_cents = 250_000


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    client = factory.SubFactory(ClientFactory)
    venue = factory.SubFactory(VenueFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    start_time = dt.time(18, 0)
    end_time = dt.time(23, 0)
    price_cents = 250_000


class TimelineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineItem

    event = factory.SubFactory(EventFactory)
    time = dt.time(19, 0)
    title = "Grand entrance"
    kind = "grand_entrance"


class EquipmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentItem
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Speaker {n}")
    category = "sound"


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    event = factory.SubFactory(EventFactory)
    equipment = factory.SubFactory(EquipmentItemFactory)


class MusicPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MusicPlan
        django_get_or_create = ("event",)

    event = factory.SubFactory(EventFactory)


class PlannedSongFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedSong

    plan = factory.SubFactory(MusicPlanFactory)
    kind = "must_play"
    title = factory.Sequence(lambda n: f"Song {n}")
    artist = "Some Artist"


class StaffAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffAssignment

    event = factory.SubFactory(EventFactory)
    staff = factory.SubFactory(UserFactory, role=Role.STAFF)


class LiveNightFactory(factory.django.DjangoModelFactory):
    """An event's live settings with requests open and no cooldown, so tests ask only for what they test."""

    class Meta:
        model = LiveNight
        django_get_or_create = ("event",)

    event = factory.SubFactory(EventFactory)
    requests_open = True
    requests_per_guest = 3
    request_cooldown_seconds = 0


class SongRequestFactory(factory.django.DjangoModelFactory):
    """A request row as it stands in the database (services.song_request_create is what tests of requests call)."""

    class Meta:
        model = SongRequest

    event = factory.SubFactory(EventFactory)
    guest_id = factory.LazyFunction(uuid.uuid4)
    title = factory.Sequence(lambda n: f"Song {n}")
    artist = "Some Artist"
    normalized = factory.LazyAttribute(lambda request: normalize_song(request.title, request.artist))
    votes_count = 0


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    title = factory.Sequence(lambda n: f"Track {n}")
    artist = "Some Artist"


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    channel = "email"
    to = factory.Sequence(lambda n: f"person{n}@example.com")
    subject = "Hello"
    body = "Hi there"
    due_at = factory.LazyFunction(timezone.now)
