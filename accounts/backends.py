"""Permissions follow the role: staff DJs may work with all business data in the admin and API, but only
the owner (a superuser) manages logins and the business profile."""

from django.contrib.auth.backends import ModelBackend

STAFF_APPS = frozenset({"events", "music", "billing", "comms", "analytics"})


class RoleBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and getattr(user_obj, "is_business", False) and perm.split(".", 1)[0] in STAFF_APPS:
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and getattr(user_obj, "is_business", False) and app_label in STAFF_APPS:
            return True
        return super().has_module_perms(user_obj, app_label)
