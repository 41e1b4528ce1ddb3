"""Serializers of the live-night guest API: input parsing, and the documented shape of what the views return
(built from events.live_selectors' dicts, the same ones the feed sends)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import LiveNight
from events.services.requests import ANNOUNCEMENT_MAX_LENGTH, LIVE_SETTINGS
from events.status import RequestStatus


@extend_schema_field({"type": "string", "enum": RequestStatus.values}, component_name="SongRequestStatus")
class RequestStatusField(serializers.ChoiceField):
    """A request's status, documented as its own component (an enum named after the field, "status", would
    clash with the event's)."""

    def __init__(self, **kwargs):
        super().__init__(choices=RequestStatus.choices, **kwargs)


class SongRequestCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    artist = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    track_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    guest_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    pin = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default=None, help_text="Before the party, when asked."
    )


class LibraryTrackSerializer(serializers.Serializer):
    """A track of the DJ's library as a guest sees it in the request search."""

    id = serializers.UUIDField()
    title = serializers.CharField()
    artist = serializers.CharField()
    album = serializers.CharField()


class LibrarySearchSerializer(serializers.Serializer):
    results = LibraryTrackSerializer(many=True)


class SongRequestSerializer(serializers.Serializer):
    """A request as every guest sees it (events.live_selectors.request_data)."""

    id = serializers.UUIDField()
    title = serializers.CharField()
    artist = serializers.CharField()
    guest_name = serializers.CharField()
    message = serializers.CharField()
    status = RequestStatusField()
    votes = serializers.IntegerField()
    top_bid_cents = serializers.IntegerField()
    pre_party = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    played_at = serializers.DateTimeField(allow_null=True)


class GuestSongRequestSerializer(SongRequestSerializer):
    """A request as the guest asking sees it."""

    voted = serializers.BooleanField(help_text="This guest has up-voted it.")
    mine = serializers.BooleanField(help_text="This guest requested it.")


class SongRequestCreatedSerializer(GuestSongRequestSerializer):
    merged = serializers.BooleanField(help_text="The song was already requested: this request became a vote for it.")


class GuestSongRequestListSerializer(serializers.Serializer):
    results = GuestSongRequestSerializer(many=True)


class VoteResultSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    votes = serializers.IntegerField()
    voted = serializers.BooleanField()


class RequestStatusSerializer(serializers.Serializer):
    status = RequestStatusField()
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Shown to the guest when declined."
    )


class LiveSettingsSerializer(serializers.ModelSerializer):
    """The DJ's request settings (PATCH any of them); bidding's switch and the feed's position are read only."""

    class Meta:
        model = LiveNight
        fields = [*LIVE_SETTINGS, "bidding_open", "announcement", "announced_at", "sequence", "updated_at"]
        read_only_fields = ["bidding_open", "announcement", "announced_at", "sequence", "updated_at"]


class AnnouncementSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=ANNOUNCEMENT_MAX_LENGTH, allow_blank=True)
    at = serializers.DateTimeField(read_only=True, allow_null=True)
