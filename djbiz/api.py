"""Shared REST API pieces: pagination and the one exception handler that turns domain errors into 4xx."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from djbiz.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """DRF's handler, plus every app's DomainError as {"detail", "code"[, "field"]} with its status."""
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body = {exc.field: [exc.message], **body}
        return Response(body, status=exc.http_status)
    return drf_exception_handler(exc, context)
