"""Errors of the events app; the API exception handler and the pages turn them into readable messages."""

from djbiz.errors import ConflictError, DomainError


class EventsError(DomainError):
    pass


class EditConflict(ConflictError):
    code = "edit_conflict"


class InvalidTransition(EventsError):
    http_status = 409
    code = "invalid_transition"


class DoubleBooked(ConflictError):
    code = "double_booked"


class NotEditable(EventsError):
    http_status = 403
    code = "not_editable"
