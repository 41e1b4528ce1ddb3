"""Development e-mail backend: prints each message like Django's console backend and records it."""

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

from comms.models import Channel, SentMessage


class RecordingConsoleEmailBackend(ConsoleEmailBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        SentMessage.objects.bulk_create(
            SentMessage(
                channel=Channel.EMAIL,
                to=", ".join(message.recipients()),
                subject=message.subject[:255],
                body=message.body,
                backend=f"{__name__}.RecordingConsoleEmailBackend",
            )
            for message in email_messages
        )
        return sent
