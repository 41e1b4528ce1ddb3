"""Start-up behaviour that depends on the environment: run in subprocesses with their own environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-for-tests",
        ALLOWED_HOSTS="djbiz.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_key_stops_with_one_clear_line():
    result = _manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="djbiz.example.com")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "djbiz: configuration error: SECRET_KEY must be set when DJANGO_ENV=production (see .env.example)"
    ]


def test_the_default_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    script = (
        "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(c.fetchone()[0], connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["wal", "IMMEDIATE"], result.stderr


def test_every_environment_variable_is_documented_in_env_example():
    import re

    settings_source = (ROOT / "djbiz" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'_required_in_production\("([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read - documented == set()
    assert len(read) > 20
