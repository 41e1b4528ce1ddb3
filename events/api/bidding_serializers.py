"""Shapes of the bidding API. They parse and present; events.services.bidding decides."""

from rest_framework import serializers

from events.bidding_selectors import guest_tag
from events.models import Bid


class LeaderSerializer(serializers.Serializer):
    request_id = serializers.UUIDField()
    amount_cents = serializers.IntegerField()
    guest_name = serializers.CharField()


class RoundSerializer(serializers.Serializer):
    """The open round (events.bidding_selectors.open_round_summary)."""

    id = serializers.UUIDField()
    number = serializers.IntegerField()
    ends_at = serializers.DateTimeField()
    leader = LeaderSerializer(allow_null=True, help_text="The highest standing bid; ties go to the earliest.")
    bids_count = serializers.IntegerField()
    min_next_bid_cents = serializers.IntegerField(help_text="The smallest bid the round accepts now.")
    currency = serializers.CharField()


class BidCreateSerializer(serializers.Serializer):
    request_id = serializers.UUIDField()
    amount_cents = serializers.IntegerField(min_value=1, max_value=10_000_000)
    client_request_id = serializers.CharField(
        max_length=64, help_text="Chosen by the client for this bid; a retried POST sends the same one."
    )
    guest_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class BidSerializer(serializers.ModelSerializer):
    round_id = serializers.UUIDField(read_only=True)
    request_id = serializers.UUIDField(read_only=True)
    guest_tag = serializers.SerializerMethodField(help_text="The bidder's tag, as the live feed shows it.")

    class Meta:
        model = Bid
        fields = ["id", "request_id", "amount_cents", "currency", "payment", "outcome", "round_id", "guest_tag"]
        read_only_fields = fields

    def get_guest_tag(self, bid: Bid) -> str:
        return guest_tag(bid.guest_id)


class CardPaymentSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="The bid's payment state, as `payment` is in pledge mode.")
    client_secret = serializers.CharField(help_text="For Stripe's Payment Element on the page.")
    publishable_key = serializers.CharField()


class BiddingSwitchSerializer(serializers.Serializer):
    open = serializers.BooleanField()
