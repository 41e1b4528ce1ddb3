"""Use cases of the events app, one module per area. Pages, the API, the admin, consumers, commands and
tasks call these; they hold the rules."""

from events.services.bookings import (
    checklist_item_delete,
    checklist_item_save,
    client_delete,
    client_save,
    event_change_status,
    event_delete,
    event_save,
    events_complete_finished,
    music_plan_for,
    music_plan_update,
    plan_check_editable,
    staff_assign,
    timeline_item_delete,
    timeline_item_save,
    timeline_update,
    venue_delete,
    venue_save,
)

__all__ = [
    "checklist_item_delete",
    "checklist_item_save",
    "client_delete",
    "client_save",
    "event_change_status",
    "event_delete",
    "event_save",
    "events_complete_finished",
    "music_plan_for",
    "music_plan_update",
    "plan_check_editable",
    "staff_assign",
    "timeline_item_delete",
    "timeline_item_save",
    "timeline_update",
    "venue_delete",
    "venue_save",
]
