#!/usr/bin/env python
import sys

from djbiz.boot import load_settings_or_exit

if __name__ == "__main__":
    load_settings_or_exit()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
