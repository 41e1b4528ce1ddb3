"""The base of every app's error: a readable message, a stable code and the HTTP status it maps to."""


class DomainError(Exception):
    http_status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}  # more keys for the API's answer, e.g. the state a refused change ran into
        if code:
            self.code = code


class ConflictError(DomainError):
    """Someone else changed the row first, or the change collides with another row."""

    http_status = 409
    code = "conflict"
