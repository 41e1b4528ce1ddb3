"""What every benchmark script starts with: Django set up from the environment on a database of its own.

Without DATABASE_URL the script gets a throwaway SQLite file (WAL, as in production); with it, a scratch test
database on that server, dropped at the end. Import this module first, before anything from the project."""

import contextlib
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(**environment: str) -> None:
    """Set the environment (throttles raised and so on) and set up Django; call once, before project imports."""
    global _scratch_dir
    if not os.environ.get("DATABASE_URL"):
        _scratch_dir = tempfile.mkdtemp(prefix="djbiz-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{_scratch_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "djbiz.settings"
    os.environ["DJANGO_ENV"] = "test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.update(environment)
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    import django

    django.setup()


_scratch_dir: str | None = None


@contextlib.contextmanager
def scratch_database():
    """Migrate the throwaway SQLite file, or create a scratch test database on the server; remove it after."""
    from django.core.management import call_command
    from django.db import connection

    test_database = None
    if _scratch_dir:
        call_command("migrate", verbosity=0)
    else:
        test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)  # a killed run left it
    try:
        yield f"{connection.vendor} ({connection.settings_dict['NAME']})"
    finally:
        connection.close()
        if test_database:
            connection.creation.destroy_test_db(test_database, verbosity=0)
        if _scratch_dir:
            shutil.rmtree(_scratch_dir, ignore_errors=True)
