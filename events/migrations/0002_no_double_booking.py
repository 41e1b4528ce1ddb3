"""A staff member cannot hold two live assignments whose times overlap, enforced by the database.

PostgreSQL: an exclusion constraint (btree_gist), which also settles two concurrent inserts.
SQLite: triggers; SQLite runs one writer at a time, so the check and the insert cannot interleave.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE events_staffassignment ADD CONSTRAINT staff_no_overlapping_assignments
       EXCLUDE USING gist (staff_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (released_at IS NULL)""",
]
POSTGRES_BACKWARD = ["ALTER TABLE events_staffassignment DROP CONSTRAINT staff_no_overlapping_assignments"]

_SQLITE_CHECK = """
CREATE TRIGGER staff_no_overlapping_assignments_{when}
BEFORE {when} ON events_staffassignment
WHEN NEW.released_at IS NULL AND EXISTS (
    SELECT 1 FROM events_staffassignment other
    WHERE other.staff_id = NEW.staff_id AND other.id IS NOT NEW.id AND other.released_at IS NULL
      AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at
)
BEGIN
    SELECT RAISE(ABORT, 'staff_no_overlapping_assignments');
END
"""
SQLITE_FORWARD = [_SQLITE_CHECK.format(when="INSERT"), _SQLITE_CHECK.format(when="UPDATE")]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS staff_no_overlapping_assignments_INSERT",
    "DROP TRIGGER IF EXISTS staff_no_overlapping_assignments_UPDATE",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
