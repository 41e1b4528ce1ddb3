"""The events admin, one module per area; importing them registers every model."""

from events.admin import bookings, directory, live, planning  # noqa: F401
