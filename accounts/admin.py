"""Admin for logins and the business profile: the owner's alone (staff DJs see neither, see backends.py)."""

import zoneinfo

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group

from accounts.models import BusinessProfile, Role, User

admin.site.site_header = "djbiz admin"
admin.site.site_title = "djbiz admin"
admin.site.index_title = "Bookings, clients and business settings"
# Permissions follow the role (accounts/backends.py); groups would only suggest otherwise.
admin.site.unregister(Group)


class TimeZoneSelect(forms.Select):
    """Every IANA time zone, so nobody has to type "America/New_York" from memory."""

    def __init__(self, attrs=None):
        names = sorted(zoneinfo.available_timezones())
        super().__init__(attrs, choices=[("", "---------"), *((name, name.replace("_", " ")) for name in names)])


class OwnerOnlyMixin:
    """Only the owner (a superuser) may see or change these, whatever permissions a login was given."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class _LowercaseEmailMixin:
    def clean_email(self):
        # User.save() lowercases the address; check uniqueness against what will be stored.
        return self.cleaned_data["email"].lower()


class UserCreationForm(_LowercaseEmailMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")
        field_classes = {}


class UserEditForm(_LowercaseEmailMixin, UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "password", "full_name", "phone", "role", "is_active")
        field_classes = {}


@admin.register(User)
class UserAdmin(OwnerOnlyMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "phone")}),
        (
            "Access",
            {
                "fields": ("role", "is_active"),
                "description": "Owner: everything. Staff DJ: events, music, billing and messages, not logins. "
                "Client: their own events in the portal, never the admin.",
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "role", "is_active", "last_login", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("email", "full_name", "phone")
    search_help_text = "Search by e-mail, name or phone."
    date_hierarchy = "date_joined"
    ordering = ("email",)
    filter_horizontal = ()

    def get_search_results(self, request, queryset, search_term):
        """The client form's login picker (an autocomplete) offers client logins only."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "client" and request.GET.get("field_name") == "user":
            queryset = queryset.filter(role=Role.CLIENT)
        return queryset, may_have_duplicates


class BusinessProfileForm(forms.ModelForm):
    website = forms.URLField(max_length=200, required=False, assume_scheme="https")

    class Meta:
        model = BusinessProfile
        fields = (
            "name", "logo", "email", "phone", "website", "address", "currency", "tax_name", "tax_rate",
            "tax_number", "prices_include_tax", "time_zone", "client_edit_cutoff_days",
        )  # fmt: skip
        widgets = {"time_zone": TimeZoneSelect}


@admin.register(BusinessProfile)
class BusinessProfileAdmin(OwnerOnlyMixin, admin.ModelAdmin):
    """One profile per installation: it can be created once and never deleted."""

    form = BusinessProfileForm
    list_display = ("name", "email", "phone", "currency", "time_zone", "tax_name", "tax_rate", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "logo", "email", "phone", "website", "address")}),
        ("Money and tax", {"fields": ("currency", "tax_name", "tax_rate", "tax_number", "prices_include_tax")}),
        ("Scheduling", {"fields": ("time_zone", "client_edit_cutoff_days")}),
    )

    def has_add_permission(self, request):
        return not BusinessProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
