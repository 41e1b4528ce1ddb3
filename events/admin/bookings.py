"""Admin for events and what hangs off them: DJs, timeline, packing list, music plan inline. Status changes,
event saves, DJ assignments and timeline edits go through events.services; a refusal from a service becomes
a message or a form error, never a 500."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html

from djbiz.errors import DomainError
from djbiz.money import format_cents
from events.admin.common import (
    ActiveAssignmentFilter,
    AssignmentDJFilter,
    CompactRelatedMixin,
    DJFilter,
    RefusedSaveAdminMixin,
    WhenFilter,
    business_users,
    local_start,
    plural,
    upcoming_first,
    when_cell,
)
from events.admin.forms import (
    ChecklistForm,
    EventAdminForm,
    SaveRefused,
    StaffAssignmentForm,
    TimelineForm,
    TimelineFormSet,
)
from events.models import (
    ChecklistItem,
    Event,
    MusicPlan,
    SongRequest,
    StaffAssignment,
    TimelineItem,
    Venue,
)
from events.services import event_change_status, event_save, staff_assign, timeline_item_delete, timeline_item_save
from events.status import EventStatus


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
            kwargs["queryset"] = business_users()
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
            plural(plan.songs.count(), "song"),
        )


class PrePartyRequestInline(admin.TabularInline):
    """Songs guests asked for before the party (through the shared link), for the DJ to review beside the
    music plan. Read-only: the DJ acts on them from the live console."""

    model = SongRequest
    verbose_name = "song requested before the party"
    verbose_name_plural = "songs requested before the party"
    fields = ("title", "artist", "guest_name", "message", "votes_count", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pre_party=True).order_by("-votes_count", "created_at")


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
    inlines = (StaffAssignmentInline, TimelineItemInline, ChecklistItemInline, MusicPlanInline, PrePartyRequestInline)

    def get_queryset(self, request):
        live = StaffAssignment.objects.filter(released_at=None).select_related("staff")
        return (
            super().get_queryset(request).prefetch_related(Prefetch("assignments", live, to_attr="active_assignments"))
        )

    def get_ordering(self, request):
        return upcoming_first()

    def view_on_site(self, event: Event) -> str:
        return reverse("events:guest", kwargs={"slug": event.slug})

    @admin.display(description="When", ordering="starts_at")
    def when(self, event: Event) -> str:
        return when_cell(event)

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
        return ", ".join(str(assignment.staff) for assignment in event.active_assignments) or "—"

    @admin.display(description="Price", ordering="price_cents")
    def price(self, event: Event) -> str:
        return format_cents(event.price_cents, event.currency)

    @admin.display(description="Venue local time")
    def local_times(self, event: Event) -> str:
        if event.pk is None:
            return "Shown after saving."
        ends = timezone.localtime(event.ends_at, event.local_starts_at.tzinfo)
        return f"{local_start(event)} until {dateformat.format(ends, 'D g:i A T')}"

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
            self.message_user(request, f"Marked {plural(changed, 'event')} as {label}.", messages.SUCCESS)

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
        return upcoming_first()

    def get_readonly_fields(self, request, obj=None):
        # The DJ's time comes from the event; to put someone else on it, add a new assignment.
        return ("event", "staff", "released_at") if obj else ("released_at",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = business_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Event", ordering="event__title")
    def event_title(self, assignment: StaffAssignment) -> str:
        return assignment.event.title

    @admin.display(description="When", ordering="starts_at")
    def when(self, assignment: StaffAssignment) -> str:
        return when_cell(assignment.event)

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
        return local_start(item.event, "D M j, Y")


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
