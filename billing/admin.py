from django.contrib import admin

from billing.models import StripeEvent


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["stripe_id", "type", "received_at", "handled_at"]
    list_filter = ["type", ("handled_at", admin.EmptyFieldListFilter)]
    search_fields = ["stripe_id", "type"]
    readonly_fields = ["stripe_id", "type", "payload", "received_at", "handled_at"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
