"""Shared REST API pieces: pagination, the staff-only permission, the `updated_since` filter every list offers,
and the one exception handler that turns domain errors and model validation errors into 4xx."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from djbiz.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IsBusiness(BasePermission):
    """The owner and staff DJs (with IsAuthenticated before it)."""

    message = "Only the owner and staff DJs can see this."

    def has_permission(self, request, view):
        return request.user.is_business


class UpdatedSinceFilterSet(filters.FilterSet):
    """Base of every list's filters. `?updated_since=<ISO 8601 datetime>` keeps the rows changed at or after
    that instant, so the app syncs only what changed; a naive value is read in settings.TIME_ZONE."""

    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")


def exception_handler(exc, context):
    """DRF's handler, plus every app's DomainError as {"detail", "code"[, "field"][, its extra keys]} with its
    status (and Retry-After when the error carries `retry_after`), and Django's ValidationError (from a
    service's full_clean) as a 400 keyed by field name."""
    if isinstance(exc, DomainError):
        set_rollback()
        body = {"detail": exc.message, "code": exc.code, **exc.extra}
        if exc.field:
            body = {exc.field: [exc.message], **body}
        response = Response(body, status=exc.http_status)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        return Response(_field_errors(exc), status=400)
    return drf_exception_handler(exc, context)


def _field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in error.message_dict.items()
    }
