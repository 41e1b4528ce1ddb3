"""Sending SMS: `send_sms()` hands the message to the backend named by settings.SMS_BACKEND.

The default prints and records each message; the comms issue adds the Twilio backend beside it.
"""

import sys

from django.conf import settings
from django.utils.module_loading import import_string

from comms.models import Channel, SentMessage


class RecordingConsoleSmsBackend:
    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"SMS to {to}:\n{body}\n{'-' * 40}\n")
        SentMessage.objects.create(
            channel=Channel.SMS, to=to, body=body, backend=f"{__name__}.RecordingConsoleSmsBackend"
        )


def send_sms(*, to: str, body: str) -> None:
    import_string(settings.SMS_BACKEND)().send(to=to, body=body)
