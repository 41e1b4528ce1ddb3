"""Shapes of the events API. They parse and present; the services in events/services.py do the saving."""

import uuid

from rest_framework import serializers

from events.models import (
    ChecklistItem,
    Client,
    EquipmentItem,
    Event,
    MusicPlan,
    Package,
    PlannedSong,
    TimelineItem,
    Venue,
)
from events.selectors import clients_visible_to, venues_visible_to


class UuidRelatedField(serializers.SlugRelatedField):
    """A related row by its public uuid, looked up only among the rows the requesting user may see.
    `queryset` names the model for the schema; `visible_to(user)` gives the rows."""

    def __init__(self, *, visible_to, **kwargs):
        self.visible_to = visible_to
        super().__init__(slug_field="uuid", **kwargs)

    def get_queryset(self):
        return self.visible_to(self.context["request"].user)

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


class TagNamesField(serializers.ListField):
    child = serializers.CharField(max_length=40)

    def to_representation(self, data):
        return [tag.name for tag in data.all()]


class EventSerializer(serializers.ModelSerializer):
    client = UuidRelatedField(queryset=Client.objects.all(), visible_to=clients_visible_to)
    venue = UuidRelatedField(
        queryset=Venue.objects.all(), visible_to=venues_visible_to, allow_null=True, required=False
    )
    package = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Package.objects.all(),
        allow_null=True,
        required=False,
        help_text="The name of the package booked, if any.",
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Required when changing an event: the version you read. A stale one gets 409 edit_conflict.",
    )
    client_can_edit = serializers.BooleanField(
        source="client_editable",
        read_only=True,
        help_text="Whether the client may still change the timeline and the music plan.",
    )

    class Meta:
        model = Event
        fields = [
            "uuid",
            "title",
            "event_type",
            "status",
            "client",
            "venue",
            "date",
            "start_time",
            "end_time",
            "time_zone",
            "starts_at",
            "ends_at",
            "package",
            "price_cents",
            "currency",
            "guest_count",
            "slug",
            "notes",
            "version",
            "client_can_edit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug"]
        extra_kwargs = {"notes": {"help_text": "Internal; never shown to the client."}}

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError(
                {"version": "Send the version of the event you read, so that nobody's newer save is overwritten."}
            )
        return attrs


class ClientEventSerializer(EventSerializer):
    """What a client sees of their own event: everything but the internal notes."""

    class Meta(EventSerializer.Meta):
        fields = [name for name in EventSerializer.Meta.fields if name != "notes"]


class TimelineItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimelineItem
        fields = ["id", "time", "kind", "title", "song", "notes", "position", "created_at", "updated_at"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    equipment = serializers.SlugRelatedField(
        slug_field="name",
        queryset=EquipmentItem.objects.all(),
        allow_null=True,
        required=False,
        help_text="The name of an item in the equipment catalogue, or null for a free-text item.",
    )

    class Meta:
        model = ChecklistItem
        fields = ["id", "equipment", "label", "quantity", "packed", "notes", "created_at", "updated_at"]


class PlannedSongSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedSong
        fields = ["kind", "moment", "title", "artist", "version_notes", "position"]
        read_only_fields = ["position"]


class MusicPlanSerializer(serializers.ModelSerializer):
    songs = PlannedSongSerializer(
        many=True, help_text="Replaces the whole song list when sent; its order is kept. PATCH may leave it out."
    )

    class Meta:
        model = MusicPlan
        fields = [
            "genres_loved",
            "genres_avoided",
            "clean_versions_only",
            "guest_requests_allowed",
            "notes",
            "songs",
            "updated_at",
        ]


class ClientSerializer(serializers.ModelSerializer):
    tags = TagNamesField(required=False, help_text="Tag names; sending the list replaces the client's tags.")

    class Meta:
        model = Client
        fields = [
            "uuid",
            "name",
            "company",
            "email",
            "phone",
            "address",
            "source",
            "tags",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"notes": {"help_text": "Internal; never shown to the client."}}


class OwnClientSerializer(ClientSerializer):
    """A client's view of their own record: everything but the internal notes."""

    class Meta(ClientSerializer.Meta):
        fields = [name for name in ClientSerializer.Meta.fields if name != "notes"]


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = [
            "uuid",
            "name",
            "address",
            "city",
            "region",
            "postal_code",
            "country",
            "time_zone",
            "setting",
            "contact_name",
            "contact_phone",
            "load_in_notes",
            "parking_notes",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"notes": {"help_text": "Internal; never shown to clients."}}


class ClientVenueSerializer(VenueSerializer):
    """A client's view of the venue of their event: everything but the internal notes."""

    class Meta(VenueSerializer.Meta):
        fields = [name for name in VenueSerializer.Meta.fields if name != "notes"]
