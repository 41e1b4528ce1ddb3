"""What the events admin pages share: venue-local times, list filters and the mixins that turn a
service's refusal into a form error."""

from django.contrib import admin
from django.db import models
from django.db.models import Case, F, Value, When
from django.utils import dateformat, timezone
from django.utils.html import format_html

from accounts.models import Role, User
from events.admin.forms import (
    SaveRefused,
)
from events.models import (
    Event,
)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def local_start(event: Event, format_string: str = "D M j, Y, g:i A T") -> str:
    """The event's start on the venue's wall clock, e.g. "Sat Jun 14, 2025, 6:00 PM EDT"."""
    return dateformat.format(event.local_starts_at, format_string)


def when_cell(event: Event) -> str:
    """Date over time, e.g. "Sat Jun 14, 2025" / "6:00 PM EDT", so list columns stay narrow."""
    return format_html(
        '{}<br><span class="quiet">{}</span>', local_start(event, "D M j, Y"), local_start(event, "g:i A T")
    )


def upcoming_first() -> list:
    """Not yet over (soonest first), then over (latest first), for any model with starts_at and ends_at."""
    upcoming = models.Q(ends_at__gte=timezone.now())
    return [
        Case(When(upcoming, then=Value(0)), default=Value(1)).asc(),
        Case(When(upcoming, then=F("starts_at"))).asc(nulls_last=True),
        F("starts_at").desc(),
    ]


def business_users():
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
        return [(user.pk, str(user)) for user in business_users().filter(is_active=True)]

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
