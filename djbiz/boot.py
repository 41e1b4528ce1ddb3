"""Start-up for manage.py, daphne and WSGI servers: bad configuration stops the process with one line."""

import os
import sys


def load_settings_or_exit() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djbiz.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018  (reading a setting loads and validates them all)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"djbiz: configuration error: {error}\n")
        sys.exit(2)
