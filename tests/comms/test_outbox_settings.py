"""Start-up checks of the outbox's settings: a production start with a real provider but without the webhook
secrets stops with one clear line (run in subprocesses with their own environment)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-for-tests",
    "ALLOWED_HOSTS": "djbiz.example.com",
}
OURS = {"EMAIL_PROVIDER", "SMS_PROVIDER", "ANYMAIL_WEBHOOK_SECRET", "SITE_URL", "MAILGUN_WEBHOOK_SIGNING_KEY"}


def _check(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", *OURS}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"EMAIL_PROVIDER": "postmark", "POSTMARK_SERVER_TOKEN": "pm"},
            "ANYMAIL_WEBHOOK_SECRET must be set when DJANGO_ENV=production and EMAIL_PROVIDER=postmark"
            " (the delivery webhooks' basic auth, see .env.example)",
        ),
        (
            {"EMAIL_PROVIDER": "mailgun", "MAILGUN_API_KEY": "key", "ANYMAIL_WEBHOOK_SECRET": "a:b"},
            "MAILGUN_WEBHOOK_SIGNING_KEY must be set when DJANGO_ENV=production and EMAIL_PROVIDER=mailgun",
        ),
        (
            {"SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM": "+1555"},
            "SITE_URL must be the public https:// address when DJANGO_ENV=production and SMS_PROVIDER=twilio"
            " (Twilio signs the URL it calls)",
        ),
        ({"SMS_PROVIDER": "twilio"}, "SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM"),
        ({"EMAIL_PROVIDER": "smtp"}, "EMAIL_PROVIDER must be one of console, postmark, mailgun, sendgrid, amazon_ses"),
    ],
)
def test_production_without_webhook_secrets_stops_with_one_clear_line(env, line):
    result = _check(**PRODUCTION, **env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[0].startswith(f"djbiz: configuration error: {line}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_with_a_real_provider_and_its_secrets_starts():
    result = _check(
        **PRODUCTION,
        EMAIL_PROVIDER="postmark",
        POSTMARK_SERVER_TOKEN="pm",
        ANYMAIL_WEBHOOK_SECRET="hook:secret",
        SMS_PROVIDER="twilio",
        TWILIO_ACCOUNT_SID="AC1",
        TWILIO_AUTH_TOKEN="token",
        TWILIO_FROM="+15550001111",
        SITE_URL="https://djbiz.example.com",
    )
    assert result.returncode == 0, result.stderr
