"""Forms of the events admin: money typed in dollars (kept as cents), the event form's edit-conflict check,
and the error a refused save shows (see RefusedSaveAdminMixin in events/admin/common.py)."""

from decimal import Decimal

from django import forms
from django.contrib.admin.widgets import AdminTimeWidget
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from accounts.admin import TimeZoneSelect
from accounts.models import BusinessProfile
from djbiz.errors import DomainError
from djbiz.money import cents_to_decimal, decimal_to_cents, minor_unit_exponent
from events.models import ChecklistItem, Event, Package, PlannedSong, StaffAssignment, TimelineItem, Venue
from events.selectors import timeline_of
from events.status import ALLOWED_TRANSITIONS, EventStatus


class CentsField(forms.DecimalField):
    """An amount typed in major units ("2500", "2,500.00") and stored as integer minor units (cents)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 12})
    max_cents = 2_147_483_647  # the largest price_cents every supported database stores

    def __init__(self, currency: str, **kwargs):
        self.currency = currency
        kwargs.setdefault("label", f"Price ({currency})")
        super().__init__(min_value=0, decimal_places=minor_unit_exponent(currency), **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return cents_to_decimal(value, self.currency)
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)

    def clean(self, value) -> int:
        amount: Decimal | None = super().clean(value)
        cents = 0 if amount is None else decimal_to_cents(amount, self.currency)
        if cents > self.max_cents:
            raise ValidationError("That amount is too large.", code="max_value")
        return cents


class SaveRefused(Exception):
    """A service refused the save after every form had validated: someone saved the event meanwhile, or a DJ
    was booked elsewhere meanwhile. `prefix` is the prefix of the form the reason belongs to (None: the
    main form, "assignments-0": a row of the staff inline)."""

    def __init__(self, error: DomainError, prefix: str | None = None):
        super().__init__(error.message)
        self.error = error
        self.prefix = prefix


class ShowsRefusalMixin:
    """On the second pass over a refused POST, the form the refusal belongs to shows its reason."""

    refusal: SaveRefused | None = None

    def clean(self):
        cleaned_data = super().clean()
        if self.refusal is not None and self.refusal.prefix == self.prefix:
            error = self.refusal.error
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned_data


def _business_currency() -> str:
    return BusinessProfile.current().currency


class EventAdminForm(ShowsRefusalMixin, forms.ModelForm):
    """Carries the version the person started from; saving over a newer version is refused with a link."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, initial=1)

    class Meta:
        model = Event
        fields = (
            "title", "event_type", "status", "client", "venue", "date", "start_time", "end_time", "package",
            "price_cents", "guest_count", "slug", "notes", "version",
        )  # fmt: skip
        help_texts = {"slug": "The guest page's address. Leave it empty on a new event to make one from the title."}
        widgets = {"start_time": AdminTimeWidget(format="%H:%M"), "end_time": AdminTimeWidget(format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currency = self.instance.currency or _business_currency()
        self.fields["price_cents"] = CentsField(
            currency, required=False, initial=0, help_text="Leave 0 until it is quoted."
        )
        self.fields["slug"].required = False
        if self.instance.pk:
            current = self.instance.status
            allowed = ALLOWED_TRANSITIONS[current] | {current}
            self.fields["status"].choices = [(value, label) for value, label in EventStatus.choices if value in allowed]

    def clean(self):
        if self.instance.pk and self.cleaned_data.get("version") not in (None, self.instance.version):
            raise ValidationError(
                format_html(
                    "Someone else saved this event while you were editing it, so your changes were not saved. "
                    '<a href="{}">Open the latest version</a> to see their changes, then make yours again.',
                    reverse("admin:events_event_change", args=[self.instance.pk]),
                ),
                code="edit_conflict",
            )
        return super().clean()


class PackageAdminForm(forms.ModelForm):
    class Meta:
        model = Package
        fields = ("name", "description", "hours", "price_cents", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_cents"] = CentsField(_business_currency(), required=False)


class VenueAdminForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = (
            "name", "setting", "time_zone", "address", "city", "region", "postal_code", "country",
            "contact_name", "contact_phone", "load_in_notes", "parking_notes", "notes",
        )  # fmt: skip
        widgets = {"time_zone": TimeZoneSelect}


class StaffAssignmentForm(ShowsRefusalMixin, forms.ModelForm):
    class Meta:
        model = StaffAssignment
        fields = ("event", "staff", "role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "staff" in self.fields:
            # The clash check ran for this person; someone else on the event means a new assignment.
            self.fields["staff"].disabled = True
            self.fields["staff"].help_text = "To put someone else on the event, delete this row and add another."


class TimelineForm(forms.ModelForm):
    class Meta:
        model = TimelineItem
        fields = ("time", "kind", "title", "song", "position")
        widgets = {
            "time": AdminTimeWidget(format="%H:%M"),
            "title": forms.TextInput(attrs={"size": 24}),
            "song": forms.TextInput(attrs={"size": 24}),
            "position": forms.NumberInput(attrs={"style": "width: 4em"}),
        }


class ChecklistForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ("equipment", "label", "quantity", "packed", "notes")
        widgets = {
            "label": forms.TextInput(attrs={"size": 20}),
            "quantity": forms.NumberInput(attrs={"style": "width: 4em"}),
            "notes": forms.TextInput(attrs={"size": 16}),
        }


class PlannedSongForm(forms.ModelForm):
    class Meta:
        model = PlannedSong
        fields = ("kind", "moment", "title", "artist", "version_notes", "position")
        widgets = {
            "moment": forms.TextInput(attrs={"size": 10}),
            "title": forms.TextInput(attrs={"size": 16}),
            "artist": forms.TextInput(attrs={"size": 14}),
            "version_notes": forms.TextInput(attrs={"size": 12}),
            "position": forms.NumberInput(attrs={"style": "width: 4em"}),
        }


class TimelineFormSet(BaseInlineFormSet):
    """In an event that runs past midnight, the items after midnight come last rather than first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.queryset = timeline_of(self.instance)
