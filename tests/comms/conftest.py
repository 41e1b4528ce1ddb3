"""Fixtures of the outbox tests: fake Postmark and Twilio servers with the settings that point the SDKs at them,
and a stand-in for the q2 worker that runs what the code enqueued."""

import base64
from importlib import import_module

import pytest
from django_q.models import OrmQ

from tests.fakes.postmark_server import FakePostmark
from tests.fakes.twilio_server import FakeTwilio

POSTMARK_TOKEN = "pm-server-token"
WEBHOOK_SECRET = "anymail:hook-secret"
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "twilio-auth-token"
SITE_URL = "https://djbiz.example.com"


@pytest.fixture
def postmark(settings):
    server = FakePostmark(token=POSTMARK_TOKEN).start()
    settings.EMAIL_PROVIDER = "postmark"
    settings.EMAIL_DELIVERY_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": POSTMARK_TOKEN,
        "POSTMARK_API_URL": server.url,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "REQUESTS_TIMEOUT": 5,
    }
    yield server
    server.stop()


@pytest.fixture
def twilio(settings):
    server = FakeTwilio(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN).start()
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM = "+15550001111"
    settings.TWILIO_API_BASE = server.url
    settings.SITE_URL = SITE_URL
    settings.SMS_QUIET_HOURS = ""  # tests that run tasks at the real time of day; quiet hours have their own
    yield server
    server.stop()


@pytest.fixture
def webhook_auth():
    """The basic-auth header the e-mail provider's webhook sends (ANYMAIL_WEBHOOK_SECRET)."""
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(WEBHOOK_SECRET.encode()).decode()}


def run_queued_tasks() -> list:
    """Do what a q2 worker does with the ORM broker's queue: run every enqueued task, in order, and remove it."""
    results = []
    while queued := list(OrmQ.objects.order_by("id")):
        for entry in queued:
            task = entry.task
            module, name = task["func"].rsplit(".", 1)
            results.append(getattr(import_module(module), name)(*task["args"], **task["kwargs"]))
            entry.delete()
    return results
