"""Admin for the business's directory: clients (with their events), venues, packages, equipment, tags."""

from django.contrib import admin
from django.db.models import Count, Value
from django.utils.html import format_html

from accounts.models import BusinessProfile, Role, User
from djbiz.money import format_cents
from events.admin.common import (
    PortalLoginFilter,
    local_start,
)
from events.admin.forms import (
    PackageAdminForm,
    VenueAdminForm,
)
from events.models import (
    Client,
    EquipmentItem,
    Event,
    Package,
    Tag,
    Venue,
)


class ClientEventInline(admin.TabularInline):
    model = Event
    fields = ("title", "when", "status", "price")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "events"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="When (venue time)")
    def when(self, event: Event) -> str:
        return local_start(event)

    @admin.display(description="Price")
    def price(self, event: Event) -> str:
        return format_cents(event.price_cents, event.currency)


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("client", "contact", "tag_list", "portal_login", "event_count")
    list_filter = ("source", PortalLoginFilter, "tags")
    search_fields = ("name", "company", "email", "phone")
    date_hierarchy = "created_at"
    autocomplete_fields = ("tags", "user")
    fieldsets = (
        (None, {"fields": ("name", "company", "source", "tags")}),
        ("Contact", {"fields": ("email", "phone", "address")}),
        ("Portal", {"fields": ("user",)}),
        ("Notes", {"fields": ("notes",)}),
    )
    inlines = (ClientEventInline,)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(event_count=Count("events", distinct=True)).prefetch_related("tags")
        )

    def get_readonly_fields(self, request, obj=None):
        # Linking a login to a client is managing logins, which is the owner's job.
        return () if request.user.is_superuser else ("user",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role=Role.CLIENT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Tags")
    def tag_list(self, client: Client) -> str:
        return ", ".join(tag.name for tag in client.tags.all())

    @admin.display(description="Client / company", ordering="name")
    def client(self, client: Client) -> str:
        return format_html('{}<br><span class="quiet">{}</span>', client.name, client.company)

    @admin.display(description="Contact", ordering="email")
    def contact(self, client: Client) -> str:
        return format_html('{}<br><span class="quiet">{}</span>', client.email, client.phone)

    @admin.display(description="Portal", boolean=True)
    def portal_login(self, client: Client) -> bool:
        return client.user_id is not None

    @admin.display(description="Events", ordering="event_count")
    def event_count(self, client: Client) -> int:
        return client.event_count


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    form = VenueAdminForm
    list_display = ("name", "city", "region", "country", "time_zone", "setting", "event_count")
    list_filter = ("setting", "time_zone", "country")
    search_fields = ("name", "city", "region", "address", "contact_name")
    fieldsets = (
        (None, {"fields": ("name", "setting", "time_zone")}),
        ("Address", {"fields": ("address", ("city", "region"), ("postal_code", "country"))}),
        ("On site", {"fields": (("contact_name", "contact_phone"), "load_in_notes", "parking_notes", "notes")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description="Events", ordering="event_count")
    def event_count(self, venue: Venue) -> int:
        return venue.event_count


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    form = PackageAdminForm
    list_display = ("name", "hours", "price", "active", "event_count")
    list_editable = ("active",)
    list_filter = ("active",)
    search_fields = ("name", "description")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(event_count=Count("events"), business_currency=Value(BusinessProfile.current().currency))
        )

    @admin.display(description="Price", ordering="price_cents")
    def price(self, package: Package) -> str:
        return format_cents(package.price_cents, package.business_currency)

    @admin.display(description="Events", ordering="event_count")
    def event_count(self, package: Package) -> int:
        return package.event_count


@admin.register(EquipmentItem)
class EquipmentItemAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "quantity_owned", "active")
    list_editable = ("quantity_owned", "active")
    list_filter = ("category", "active")
    search_fields = ("name", "notes")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "client_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(client_count=Count("clients"))

    @admin.display(description="Clients", ordering="client_count")
    def client_count(self, tag: Tag) -> int:
        return tag.client_count
