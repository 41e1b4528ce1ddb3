"""EMAIL_BACKEND: Django's send_mail() and EmailMessage.send(), anywhere in the project, queue into the outbox
(one transactional row per recipient); the worker delivers through settings.EMAIL_DELIVERY_BACKEND."""

from django.core.mail.backends.base import BaseEmailBackend

from comms.models import Channel
from comms.services.outbox import message_queue


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        queued = 0
        for message in email_messages:
            if message.attachments or message.cc or message.bcc:
                raise ValueError("The outbox sends plain and HTML e-mail to each recipient: no attachments, cc or bcc.")
            headers = dict(message.extra_headers)
            if message.reply_to:
                headers["Reply-To"] = ", ".join(message.reply_to)
            html = next(
                (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
            )
            for recipient in message.to:
                message_queue(
                    channel=Channel.EMAIL,
                    to=recipient,
                    from_address=message.from_email or "",
                    subject=message.subject,
                    body=message.body,
                    html=html,
                    headers=headers,
                )
                queued += 1
        return queued
