"""Admin for the business's day-to-day: events (with timeline, checklist, DJs and music plan inline),
clients, venues, packages, equipment. Status changes, event saves, DJ assignments and timeline edits go
through events.services; a refusal from a service becomes a message or a form error, never a 500."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Case, Count, F, Prefetch, Value, When
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html

from accounts.models import BusinessProfile, Role, User
from djbiz.errors import DomainError
from djbiz.money import format_cents
from events.admin_forms import (
    ChecklistForm,
    EventAdminForm,
    PackageAdminForm,
    PlannedSongForm,
    SaveRefused,
    StaffAssignmentForm,
    TimelineForm,
    TimelineFormSet,
    VenueAdminForm,
)
from events.models import (
    ChecklistItem,
    Client,
    EquipmentItem,
    Event,
    MusicPlan,
    Package,
    PlannedSong,
    StaffAssignment,
    Tag,
    TimelineItem,
    Venue,
)
from events.services import event_change_status, event_save, staff_assign, timeline_item_delete, timeline_item_save
from events.status import EventStatus


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _local(event: Event, format_string: str = "D M j, Y, g:i A T") -> str:
    """The event's start on the venue's wall clock, e.g. "Sat Jun 14, 2025, 6:00 PM EDT"."""
    return dateformat.format(event.local_starts_at, format_string)


def _when_cell(event: Event) -> str:
    """Date over time, e.g. "Sat Jun 14, 2025" / "6:00 PM EDT", so list columns stay narrow."""
    return format_html('{}<br><span class="quiet">{}</span>', _local(event, "D M j, Y"), _local(event, "g:i A T"))


def _upcoming_first() -> list:
    """Not yet over (soonest first), then over (latest first), for any model with starts_at and ends_at."""
    upcoming = models.Q(ends_at__gte=timezone.now())
    return [
        Case(When(upcoming, then=Value(0)), default=Value(1)).asc(),
        Case(When(upcoming, then=F("starts_at"))).asc(nulls_last=True),
        F("starts_at").desc(),
    ]


def _business_users():
    return User.objects.filter(role__in=[Role.OWNER, Role.STAFF])


class WhenFilter(admin.SimpleListFilter):
    """Events that are not over yet, or those that are. The list is always ordered upcoming first (soonest
    first), then past (latest first); see EventAdmin.get_ordering."""

    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming and in progress"), ("past", "Past")]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(ends_at__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(ends_at__lt=timezone.now())
        return queryset


class DJFilter(admin.SimpleListFilter):
    """Events (or assignments) of one DJ; lists the owner and staff only, not every login."""

    title = "DJ"
    parameter_name = "dj"
    lookup = "assignments__staff"

    def lookups(self, request, model_admin):
        return [(user.pk, str(user)) for user in _business_users().filter(is_active=True)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.lookup: self.value()})
        return queryset


class AssignmentDJFilter(DJFilter):
    lookup = "staff"


class ActiveAssignmentFilter(admin.SimpleListFilter):
    title = "assignment"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "Active"), ("no", "Released (event cancelled)")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(released_at__isnull=self.value() == "yes")
        return queryset


class PortalLoginFilter(admin.SimpleListFilter):
    title = "portal login"
    parameter_name = "login"

    def lookups(self, request, model_admin):
        return [("yes", "Has a portal login"), ("no", "No portal login")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(user__isnull=self.value() == "no")
        return queryset


class RefusedSaveAdminMixin:
    """When a service refuses the save after the forms validated (SaveRefused: another person saved the event,
    or booked the DJ, in between), everything is rolled back and the same POST is shown again, with the
    reason on the form it belongs to and what the person typed still there."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SaveRefused as refusal:
            request.save_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.refusal = getattr(request, "save_refusal", None)
        return form


# --- Inlines ------------------------------------------------------------------------------------------


class CompactRelatedMixin:
    """Inline rows pick from a list (`compact_related_fields`) without the edit/add/delete/view icons, which
    would wrap every row onto two lines."""

    compact_related_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.compact_related_fields:
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return formfield


class StaffAssignmentInline(CompactRelatedMixin, admin.TabularInline):
    model = StaffAssignment
    form = StaffAssignmentForm
    fields = ("staff", "role", "released_at")
    readonly_fields = ("released_at",)
    compact_related_fields = ("staff",)
    extra = 0
    verbose_name = "DJ / crew member"
    verbose_name_plural = "DJs and crew"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.refusal = getattr(request, "save_refusal", None)
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = _business_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff")


class TimelineItemInline(admin.TabularInline):
    model = TimelineItem
    form = TimelineForm
    formset = TimelineFormSet
    extra = 0
    show_change_link = True  # notes are edited on the item's own page


class ChecklistItemInline(CompactRelatedMixin, admin.TabularInline):
    model = ChecklistItem
    form = ChecklistForm
    autocomplete_fields = ("equipment",)
    compact_related_fields = ("equipment",)
    extra = 0
    verbose_name = "packing list item"
    verbose_name_plural = "packing list"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("equipment")


class MusicPlanInline(admin.StackedInline):
    model = MusicPlan
    fields = (("genres_loved", "genres_avoided"), ("clean_versions_only", "guest_requests_allowed"), "notes", "songs")
    readonly_fields = ("songs",)
    extra = 1
    can_delete = False

    @admin.display(description="Song lists")
    def songs(self, plan: MusicPlan) -> str:
        if plan.pk is None:
            return "Save the event with its plan, then add must-play, do-not-play and special-moment songs."
        return format_html(
            '<a href="{}">{} — open the music plan to edit the song lists</a>',
            reverse("admin:events_musicplan_change", args=[plan.pk]),
            _plural(plan.songs.count(), "song"),
        )


class PlannedSongInline(admin.TabularInline):
    model = PlannedSong
    form = PlannedSongForm
    extra = 0


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
        return _local(event)

    @admin.display(description="Price")
    def price(self, event: Event) -> str:
        return format_cents(event.price_cents, event.currency)


# --- Events -------------------------------------------------------------------------------------------


@admin.register(Event)
class EventAdmin(RefusedSaveAdminMixin, admin.ModelAdmin):
    form = EventAdminForm
    list_display = ("when", "event", "where", "status", "djs", "price")
    list_display_links = ("when", "event")
    list_filter = (WhenFilter, "status", "event_type", DJFilter, "venue")
    list_select_related = ("client", "venue")
    search_fields = ("title", "slug", "client__name", "client__company", "client__email", "venue__name", "venue__city")
    search_help_text = "Search by event, client or venue."
    date_hierarchy = "date"
    autocomplete_fields = ("client", "venue", "package")
    actions = ("mark_booked", "mark_completed", "mark_cancelled")
    readonly_fields = ("time_zone", "local_times", "currency", "guest_page", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", ("event_type", "status"), "client", "venue", "version")}),
        (
            "Date and time",
            {
                "fields": ("date", ("start_time", "end_time"), "time_zone", "local_times"),
                "description": "In the venue's local time. An end at or before the start is the next day.",
            },
        ),
        ("Price", {"fields": ("package", "price_cents", "currency")}),
        ("Details", {"fields": ("guest_count", "slug", "guest_page", "notes")}),
        ("Record", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )
    inlines = (StaffAssignmentInline, TimelineItemInline, ChecklistItemInline, MusicPlanInline)

    def get_queryset(self, request):
        live = StaffAssignment.objects.filter(released_at=None).select_related("staff")
        return super().get_queryset(request).prefetch_related(Prefetch("assignments", live, to_attr="live"))

    def get_ordering(self, request):
        return _upcoming_first()

    def view_on_site(self, event: Event) -> str:
        return reverse("events:guest", kwargs={"slug": event.slug})

    @admin.display(description="When", ordering="starts_at")
    def when(self, event: Event) -> str:
        return _when_cell(event)

    @admin.display(description="Event / client", ordering="title")
    def event(self, event: Event) -> str:
        return format_html('{}<br><span class="quiet">{}</span>', event.title, event.client)

    @admin.display(description="Venue", ordering="venue__name")
    def where(self, event: Event) -> str:
        if event.venue is None:
            return "—"
        return format_html('{}<br><span class="quiet">{}</span>', event.venue.name, event.venue.city)

    @admin.display(description="DJs")
    def djs(self, event: Event) -> str:
        return ", ".join(str(assignment.staff) for assignment in event.live) or "—"

    @admin.display(description="Price", ordering="price_cents")
    def price(self, event: Event) -> str:
        return format_cents(event.price_cents, event.currency)

    @admin.display(description="Venue local time")
    def local_times(self, event: Event) -> str:
        if event.pk is None:
            return "Shown after saving."
        ends = timezone.localtime(event.ends_at, event.local_starts_at.tzinfo)
        return f"{_local(event)} until {dateformat.format(ends, 'D g:i A T')}"

    @admin.display(description="Guest page")
    def guest_page(self, event: Event) -> str:
        if event.pk is None:
            return "Shown after saving."
        url = reverse("events:guest", kwargs={"slug": event.slug})
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        version = form.cleaned_data["version"] if change else None
        try:
            event_save(actor=request.user, event=obj, fields={}, version=version)
        except DomainError as error:
            raise SaveRefused(error) from error

    def save_formset(self, request, form, formset, change):
        if formset.model is StaffAssignment:
            self._save_assignments(request, form.instance, formset)
        elif formset.model is TimelineItem:
            items = formset.save(commit=False)
            for item in formset.deleted_objects:
                timeline_item_delete(actor=request.user, event=form.instance, item=item)
            for item in items:
                timeline_item_save(actor=request.user, event=form.instance, item=item)
        else:
            super().save_formset(request, form, formset, change)

    def _save_assignments(self, request, event: Event, formset) -> None:
        """New rows go through staff_assign, which refuses a DJ booked elsewhere at that time."""
        formset.save(commit=False)
        deleted = formset.deleted_forms
        for form in formset.forms:
            assignment = form.instance
            if form in deleted:
                if assignment.pk:
                    assignment.delete()
            elif assignment.pk:
                if form.has_changed():
                    assignment.save(update_fields=["role"])
            elif form.has_changed():
                try:
                    staff_assign(actor=request.user, event=event, staff=assignment.staff, role=assignment.role)
                except DomainError as error:
                    raise SaveRefused(error, prefix=form.prefix) from error

    def _change_status(self, request, queryset, status: str) -> None:
        label = EventStatus(status).label
        changed = 0
        for event in queryset:
            if event.status == status:
                self.message_user(request, f"“{event}” is already {label}.", messages.WARNING)
                continue
            try:
                event_change_status(actor=request.user, event=event, status=status)
            except DomainError as error:
                self.message_user(request, f"“{event}” was not changed: {error.message}", messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(request, f"Marked {_plural(changed, 'event')} as {label}.", messages.SUCCESS)

    @admin.action(description="Mark booked", permissions=["change"])
    def mark_booked(self, request, queryset):
        self._change_status(request, queryset, EventStatus.BOOKED)

    @admin.action(description="Mark completed", permissions=["change"])
    def mark_completed(self, request, queryset):
        self._change_status(request, queryset, EventStatus.COMPLETED)

    @admin.action(description="Mark cancelled (frees the DJs)", permissions=["change"])
    def mark_cancelled(self, request, queryset):
        self._change_status(request, queryset, EventStatus.CANCELLED)


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(RefusedSaveAdminMixin, admin.ModelAdmin):
    """Who works when: the DJs' calendar across events, upcoming first."""

    form = StaffAssignmentForm
    list_display = ("staff", "role", "event_title", "when", "venue", "active")
    list_filter = (AssignmentDJFilter, "role", ActiveAssignmentFilter)
    list_select_related = ("staff", "event", "event__venue")
    search_fields = ("staff__email", "staff__full_name", "event__title", "event__client__name")
    date_hierarchy = "event__date"
    autocomplete_fields = ("event",)

    def get_ordering(self, request):
        return _upcoming_first()

    def get_readonly_fields(self, request, obj=None):
        # The DJ's time comes from the event; to put someone else on it, add a new assignment.
        return ("event", "staff", "released_at") if obj else ("released_at",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = _business_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Event", ordering="event__title")
    def event_title(self, assignment: StaffAssignment) -> str:
        return assignment.event.title

    @admin.display(description="When", ordering="starts_at")
    def when(self, assignment: StaffAssignment) -> str:
        return _when_cell(assignment.event)

    @admin.display(description="Active", boolean=True)
    def active(self, assignment: StaffAssignment) -> bool:
        return assignment.released_at is None

    @admin.display(description="Venue", ordering="event__venue__name")
    def venue(self, assignment: StaffAssignment) -> Venue | None:
        return assignment.event.venue

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            created = staff_assign(actor=request.user, event=obj.event, staff=obj.staff, role=obj.role)
        except DomainError as error:
            raise SaveRefused(error) from error
        obj.pk = created.pk


# --- What hangs off an event --------------------------------------------------------------------------


class EventChildAdmin(admin.ModelAdmin):
    """Shared columns of timeline items and packing-list lines: which event, and when."""

    date_hierarchy = "event__date"
    autocomplete_fields = ("event",)
    list_select_related = ("event",)

    @admin.display(description="Event", ordering="event__title")
    def event_title(self, item) -> str:
        return item.event.title

    @admin.display(description="Event date", ordering="event__starts_at")
    def event_date(self, item) -> str:
        return _local(item.event, "D M j, Y")


@admin.register(TimelineItem)
class TimelineItemAdmin(EventChildAdmin):
    list_display = ("time", "title", "song", "event_title", "event_date")
    list_filter = ("kind",)
    search_fields = ("title", "song", "notes", "event__title")
    ordering = ("-event__starts_at", "time", "position")

    def save_model(self, request, obj, form, change):
        timeline_item_save(actor=request.user, event=obj.event, item=obj)

    def delete_model(self, request, obj):
        timeline_item_delete(actor=request.user, event=obj.event, item=obj)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(EventChildAdmin):
    list_display = ("label", "quantity", "packed", "event_title", "event_date")
    list_editable = ("packed",)
    list_filter = ("packed", "equipment__category")
    search_fields = ("label", "notes", "equipment__name", "event__title")
    autocomplete_fields = ("event", "equipment")
    ordering = ("-event__starts_at", "packed", "label")


@admin.register(MusicPlan)
class MusicPlanAdmin(admin.ModelAdmin):
    list_display = ("event", "event_date", "client", "song_count", "clean_versions_only", "guest_requests_allowed")
    list_filter = ("clean_versions_only", "guest_requests_allowed")
    list_select_related = ("event", "event__client")
    search_fields = ("event__title", "event__client__name", "genres_loved", "genres_avoided", "notes")
    date_hierarchy = "event__date"
    autocomplete_fields = ("event",)
    ordering = ("-event__starts_at",)
    inlines = (PlannedSongInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(song_count=Count("songs"))

    @admin.display(description="Event date", ordering="event__starts_at")
    def event_date(self, plan: MusicPlan) -> str:
        return _local(plan.event, "D M j, Y")

    @admin.display(description="Client", ordering="event__client__name")
    def client(self, plan: MusicPlan) -> Client:
        return plan.event.client

    @admin.display(description="Songs", ordering="song_count")
    def song_count(self, plan: MusicPlan) -> int:
        return plan.song_count


@admin.register(PlannedSong)
class PlannedSongAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "kind", "moment", "event")
    list_filter = ("kind",)
    list_select_related = ("plan__event",)
    search_fields = ("title", "artist", "moment", "plan__event__title")
    date_hierarchy = "plan__event__date"
    autocomplete_fields = ("plan",)
    ordering = ("-plan__event__starts_at", "kind", "position")

    @admin.display(description="Event", ordering="plan__event__starts_at")
    def event(self, song: PlannedSong) -> Event:
        return song.plan.event


# --- Clients, venues, catalogue -------------------------------------------------------------------------


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
