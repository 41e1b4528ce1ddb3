"""Admin for the record of sent messages: read-only, it is what actually went out."""

from django.contrib import admin
from django.template.defaultfilters import truncatechars

from comms.models import SentMessage


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "to", "summary", "backend")
    list_filter = ("channel", "backend")
    search_fields = ("to", "subject", "body")
    search_help_text = "Search by recipient, subject or text."
    date_hierarchy = "created_at"
    fields = ("created_at", "channel", "backend", "to", "subject", "body")
    readonly_fields = fields

    @admin.display(description="Subject / text")
    def summary(self, message: SentMessage) -> str:
        return message.subject or truncatechars(message.body, 80)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
