"""The night itself: guests' song requests and votes, bidding rounds and bids, and the live state of an
event (what is playing, whether requests and bidding are open, the feed's sequence number)."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from events.models.bookings import Event
from events.status import OPEN_REQUEST_STATUSES, BidOutcome, BidPayment, RequestStatus


class LiveNight(models.Model):
    """Per-event settings the DJ controls on the night, and the live state every feed message reports.

    `sequence` numbers the feed: each change bumps it in the same transaction that makes the change, so a
    client that sees a gap knows to fetch a snapshot."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="live")
    requests_open = models.BooleanField(default=False)
    request_pin = models.CharField(
        max_length=12, blank=True, help_text="If set, guests enter it before requesting (e.g. when shared early)."
    )
    requests_per_guest = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    request_cooldown_seconds = models.PositiveIntegerField(default=120, validators=[MaxValueValidator(3600)])
    bidding_open = models.BooleanField(default=False)
    round_seconds = models.PositiveIntegerField(default=60, validators=[MinValueValidator(30), MaxValueValidator(3600)])
    min_bid_cents = models.PositiveIntegerField(default=500, validators=[MinValueValidator(50)])
    min_increment_cents = models.PositiveIntegerField(default=100, validators=[MinValueValidator(1)])
    announcement = models.CharField(max_length=280, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    now_playing = models.ForeignKey("SongRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sequence = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Live night of {self.event}"


class SongRequest(models.Model):
    """A guest's request. `normalized` (title and artist folded) lets the database refuse a second open
    request for the same song, so a duplicate becomes a vote even when two guests ask at the same moment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="song_requests")
    guest_id = models.UUIDField(db_index=True)
    title = models.CharField(max_length=200)
    artist = models.CharField(max_length=200, blank=True)
    normalized = models.CharField(max_length=402, editable=False)
    track = models.ForeignKey(
        "music.Track",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="song_requests",
        help_text="The library track the guest picked (empty for a typed request).",
    )
    guest_name = models.CharField(max_length=60, blank=True)
    message = models.CharField(max_length=200, blank=True, help_text="Dedication, masked for profanity.")
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    decline_reason = models.CharField(max_length=200, blank=True)
    votes_count = models.PositiveIntegerField(default=0)
    top_bid_cents = models.PositiveIntegerField(default=0)
    pre_party = models.BooleanField(default=False, help_text="Requested before the party started.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    played_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "normalized"],
                condition=Q(status__in=OPEN_REQUEST_STATUSES),
                name="one_open_request_per_song",
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.title} — {self.artist}" if self.artist else self.title


class Vote(models.Model):
    request = models.ForeignKey(SongRequest, on_delete=models.CASCADE, related_name="votes")
    guest_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "guest_id"], name="one_vote_per_guest")]

    def __str__(self) -> str:
        return f"Vote for {self.request_id}"


class BiddingRound(models.Model):
    """One round of bidding. The database allows one open round per event; closing claims the round with a
    conditional update, so two workers closing at once close it once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bidding_rounds")
    number = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    winning_bid = models.ForeignKey("Bid", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="round_numbers_unique_per_event"),
            models.UniqueConstraint(fields=["event"], condition=Q(closed_at=None), name="one_open_round_per_event"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.event}"


class Bid(models.Model):
    """Money offered to have a request played next. A retried POST carries the same client_request_id and
    finds this bid instead of making a second one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(BiddingRound, on_delete=models.CASCADE, related_name="bids")
    request = models.ForeignKey(SongRequest, on_delete=models.CASCADE, related_name="bids")
    guest_id = models.UUIDField(db_index=True)
    guest_name = models.CharField(max_length=60, blank=True)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    client_request_id = models.CharField(max_length=64)
    outcome = models.CharField(max_length=8, choices=BidOutcome.choices, default=BidOutcome.OPEN)
    payment = models.CharField(max_length=16, choices=BidPayment.choices)
    payment_intent_id = models.CharField(max_length=64, blank=True, db_index=True)
    payment_client_secret = models.CharField(max_length=128, blank=True)
    payment_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-amount_cents", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "guest_id", "client_request_id"], name="one_bid_per_client_request_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents / 100:.2f} {self.currency} on {self.request}"
