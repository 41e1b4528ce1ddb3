"""Admin for the live night: each event's live settings, guests' requests and votes, bidding rounds and bids.
Rows are made by guests and the services, never added here. Every change goes through events.services (the
settings, a request's status, marking a pledge paid, a refund); a refusal becomes a message or a form error,
never a 500."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

from accounts.models import BusinessProfile
from djbiz.errors import DomainError
from djbiz.money import format_cents
from events.admin.common import RefusedSaveAdminMixin, plural
from events.admin.forms import SaveRefused, ShowsRefusalMixin
from events.models import Bid, BiddingRound, LiveNight, SongRequest, Vote
from events.services import (
    bid_mark_paid,
    bid_refund,
    bidding_close,
    bidding_open,
    live_settings_update,
    song_request_set_status,
)
from events.services.requests import LIVE_SETTINGS
from events.status import RequestStatus

# LiveNight fields the DJ sets here: requests' switch and limits (events.services.live_settings_update),
# bidding's switch (bidding_open / bidding_close) and bidding's amounts and round length (plain settings).
BIDDING_AMOUNTS = ("round_seconds", "min_bid_cents", "min_increment_cents")
REQUEST_SETTINGS = tuple(name for name in LIVE_SETTINGS if name not in BIDDING_AMOUNTS)


class ReadOnlyRowsMixin:
    """Rows the services manage: no add, no delete, a view-only form. The change permission stays on the
    list, where the actions (which call services) need it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)


class LiveNightAdminForm(ShowsRefusalMixin, forms.ModelForm):
    class Meta:
        model = LiveNight
        fields = (*REQUEST_SETTINGS, "bidding_open", *BIDDING_AMOUNTS)


@admin.register(LiveNight)
class LiveNightAdmin(RefusedSaveAdminMixin, admin.ModelAdmin):
    form = LiveNightAdminForm
    list_display = ("event", "requests_open", "bidding_open", "now_playing", "updated_at")
    list_filter = ("requests_open", "bidding_open")
    list_select_related = ("event", "now_playing")
    search_fields = ("event__title", "event__slug")
    ordering = ("-event__starts_at",)
    fieldsets = (
        (None, {"fields": ("event", "now_playing", "announcement", "sequence", "updated_at")}),
        ("Requests", {"fields": REQUEST_SETTINGS}),
        ("Bidding", {"fields": ("bidding_open", *BIDDING_AMOUNTS)}),
    )
    readonly_fields = ("event", "now_playing", "announcement", "sequence", "updated_at")

    def has_add_permission(self, request):
        return False  # made with the event's first live change (events.services)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changed = set(form.changed_data)
        event = obj.event
        try:
            if settings := {name: form.cleaned_data[name] for name in LIVE_SETTINGS if name in changed}:
                live_settings_update(actor=request.user, event=event, fields=settings)
            if "bidding_open" in changed:
                switch = bidding_open if form.cleaned_data["bidding_open"] else bidding_close
                switch(actor=request.user, event=event)
        except DomainError as error:
            transaction.set_rollback(True)
            raise SaveRefused(error) from error
        obj.refresh_from_db()


class SongRequestStatusActions:
    """Admin actions moving requests along REQUEST_TRANSITIONS through song_request_set_status, row by row."""

    def _set_status(self, request, queryset, status: str) -> None:
        label = RequestStatus(status).label.lower()
        moved = 0
        for song_request in queryset.select_related("event"):
            try:
                song_request_set_status(
                    actor=request.user, event=song_request.event, request_id=song_request.pk, status=status
                )
            except DomainError as error:
                self.message_user(request, f"“{song_request}” was not changed: {error.message}", messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(request, f"Marked {plural(moved, 'request')} {label}.", messages.SUCCESS)


@admin.register(SongRequest)
class SongRequestAdmin(SongRequestStatusActions, ReadOnlyRowsMixin, admin.ModelAdmin):
    list_display = ("song", "event", "status", "votes_count", "top_bid", "guest_name", "created_at")
    list_filter = ("status", "pre_party", "event")
    list_select_related = ("event",)
    search_fields = ("title", "artist", "guest_name", "message", "event__title")
    search_help_text = "Search by song, guest or event."
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ("accept", "decline", "skip")
    readonly_fields = ("top_bid",)
    exclude = ("top_bid_cents", "guest_id")

    def get_queryset(self, request):
        currency = BusinessProfile.current().currency
        return (
            super()
            .get_queryset(request)
            .annotate(currency=Coalesce(NullIf(F("event__currency"), Value("")), Value(currency)))
        )

    @admin.display(description="Song", ordering="title")
    def song(self, song_request: SongRequest) -> str:
        return str(song_request)

    @admin.display(description="Top bid", ordering="top_bid_cents")
    def top_bid(self, song_request: SongRequest) -> str:
        if not song_request.top_bid_cents:
            return "—"
        return format_cents(song_request.top_bid_cents, song_request.currency)

    @admin.action(description="Accept", permissions=["change"])
    def accept(self, request, queryset):
        self._set_status(request, queryset, RequestStatus.ACCEPTED)

    @admin.action(description="Decline", permissions=["change"])
    def decline(self, request, queryset):
        self._set_status(request, queryset, RequestStatus.DECLINED)

    @admin.action(description="Skip", permissions=["change"])
    def skip(self, request, queryset):
        self._set_status(request, queryset, RequestStatus.SKIPPED)


def _bid_cell(bid: Bid | None) -> str:
    if bid is None:
        return "—"
    return f"{bid.request} ({format_cents(bid.amount_cents, bid.currency)})"


@admin.register(BiddingRound)
class BiddingRoundAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    list_display = ("__str__", "event", "number", "starts_at", "ends_at", "closed_at", "winner")
    list_filter = (("closed_at", admin.EmptyFieldListFilter), "event")
    list_select_related = ("event", "winning_bid__request")
    search_fields = ("event__title", "event__slug")
    date_hierarchy = "ends_at"
    ordering = ("-ends_at",)
    readonly_fields = ("winner",)
    exclude = ("winning_bid",)

    def has_change_permission(self, request, obj=None):
        return False  # rounds are opened and closed by the services (bidding switch, q2's closer)

    @admin.display(description="Winner")
    def winner(self, bidding_round: BiddingRound) -> str:
        return _bid_cell(bidding_round.winning_bid)


@admin.register(Bid)
class BidAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    list_display = ("amount", "request", "event", "round_number", "guest_name", "outcome", "payment", "created_at")
    list_filter = ("outcome", "payment", "round__event")
    list_select_related = ("round__event", "request")
    search_fields = ("guest_name", "request__title", "request__artist", "round__event__title", "payment_intent_id")
    search_help_text = "Search by guest, song, event or Stripe PaymentIntent."
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ("mark_paid", "refund")
    readonly_fields = ("amount",)
    exclude = ("amount_cents", "currency", "guest_id", "payment_client_secret")

    @admin.display(description="Amount", ordering="amount_cents")
    def amount(self, bid: Bid) -> str:
        return format_cents(bid.amount_cents, bid.currency)

    @admin.display(description="Event", ordering="round__event__starts_at")
    def event(self, bid: Bid) -> str:
        return bid.round.event.title

    @admin.display(description="Round", ordering="round__number")
    def round_number(self, bid: Bid) -> int:
        return bid.round.number

    def _each(self, request, queryset, service, done: str) -> None:
        count = 0
        for bid in queryset.select_related("request"):
            try:
                service(actor=request.user, bid=bid)
            except DomainError as error:
                self.message_user(request, f"{_bid_cell(bid)}: {error.message}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{plural(count, 'bid')} {done}.", messages.SUCCESS)

    @admin.action(description="Mark paid at the booth", permissions=["change"])
    def mark_paid(self, request, queryset):
        self._each(request, queryset, bid_mark_paid, "marked paid at the booth")

    @admin.action(description="Refund", permissions=["change"])
    def refund(self, request, queryset):
        self._each(request, queryset, bid_refund, "refunded (a card refund completes once Stripe confirms it)")


@admin.register(Vote)
class VoteAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    list_display = ("request", "event", "created_at")
    list_select_related = ("request__event",)
    list_filter = ("request__event",)
    search_fields = ("request__title", "request__artist", "request__event__title")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Event", ordering="request__event__starts_at")
    def event(self, vote: Vote) -> str:
        return str(vote.request.event)
