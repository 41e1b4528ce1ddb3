"""Admin for the outbox (what went out, what failed, retry), provider events, opt-outs, leads and conversations."""

from django.contrib import admin, messages
from django.template.defaultfilters import truncatechars

from comms.models import Conversation, DeliveryEvent, Lead, Message, OptOut, OutboxMessage
from comms.services.outbox import message_mark_sent, message_retry
from comms.status import OutboxStatus


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    fields = ("received_at", "provider", "event", "applied", "provider_message_id")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("to", "summary", "status", "channel", "purpose", "attempts", "created_at")
    list_filter = ("status", "channel", "purpose", "provider")
    search_fields = ("to", "subject", "body", "provider_id", "message_id_header", "=uuid")
    search_help_text = "Search by recipient, subject, text, provider id or Message-ID."
    date_hierarchy = "created_at"
    actions = ("retry", "mark_sent")
    inlines = (DeliveryEventInline,)
    fieldsets = (
        (
            None,
            {"fields": ("uuid", "status", "last_error", "channel", "purpose", "to", "from_address", "client", "event")},
        ),
        ("Content", {"fields": ("subject", "body", "html", "headers", "template", "context")}),
        (
            "Delivery",
            {
                "fields": (
                    ("attempts", "due_at", "enqueued_at", "claimed_at"),
                    ("provider", "provider_id", "message_id_header"),
                    ("respect_quiet_hours", "time_zone"),
                    ("sent_at", "delivered_at", "opened_at", "clicked_at"),
                    "idempotency_key",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in OutboxMessage._meta.fields]

    @admin.display(description="Subject / text")
    def summary(self, message: OutboxMessage) -> str:
        return message.subject or truncatechars(message.body, 80)

    @admin.action(description="Retry the selected failed or under-review messages")
    def retry(self, request, queryset):
        ids = queryset.filter(status__in=(OutboxStatus.FAILED, OutboxStatus.REVIEW)).values_list("pk", flat=True)
        retried = sum(message_retry(message_id=pk) for pk in ids)
        skipped = queryset.count() - retried
        self.message_user(request, f"{retried} message(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} skipped: only failed or under-review messages can be retried.", messages.WARNING
            )

    @admin.action(description="Mark the selected under-review messages as sent (found in the provider's log)")
    def mark_sent(self, request, queryset):
        ids = queryset.filter(status=OutboxStatus.REVIEW).values_list("pk", flat=True)
        marked = sum(message_mark_sent(message_id=pk) for pk in ids)
        self.message_user(request, f"{marked} message(s) marked as sent.", messages.SUCCESS)


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "event", "applied", "provider_message_id", "message")
    list_filter = ("provider", "event", "applied")
    search_fields = ("provider_message_id", "message__to")
    list_select_related = ("message",)
    readonly_fields = (
        "provider",
        "provider_message_id",
        "event",
        "message",
        "occurred_at",
        "received_at",
        "applied",
        "payload",
    )


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("address", "channel", "source", "created_at")
    list_filter = ("channel", "source")
    search_fields = ("address",)
    search_help_text = "Search by e-mail address or phone number."
    fields = ("channel", "address", "source")

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("__str__", "email", "phone", "event_date", "event_type", "guest_count", "status", "created_at")
    list_filter = ("status", "event_type", "source")
    search_fields = ("name", "email", "phone", "venue")


class MessageInline(admin.TabularInline):
    model = Message
    fields = ("received_at", "direction", "channel", "sender", "subject", "body", "intent", "reply_status")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "event", "last_message_at")
    inlines = [MessageInline]
