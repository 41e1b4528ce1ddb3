"""Who may do what in the events API. Rows a user may not see are filtered out by the selectors (404)
before these run, so a refusal (403) never reveals that someone else's row exists."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class BusinessOrReadOnly(BasePermission):
    """Staff may change anything; clients may read. A client's write to a detail URL goes on to the lookup,
    so it gets 404 for a row they cannot see and 403 for their own."""

    message = "Only the owner and staff DJs can change this."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or request.user.is_business:
            return True
        return (view.lookup_url_kwarg or view.lookup_field) in view.kwargs

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or request.user.is_business


class EventVisible(BasePermission):
    """For /events/{event_uuid}/…: the parent event must be one the user may see, or the answer is 404."""

    def has_permission(self, request, view):
        return view.event is not None
