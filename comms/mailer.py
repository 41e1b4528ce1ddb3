"""E-mail delivery for the outbox: the Django backend named by settings.EMAIL_DELIVERY_BACKEND (django-anymail for
Postmark, Mailgun, SendGrid, SES; Django's console backend by default).

No e-mail provider anymail supports takes an idempotency key. Each message carries a Message-ID made from the
outbox row's uuid, and the row's uuid as anymail metadata, which the providers echo in their webhook events:
a message whose worker died after the provider took it is recognised when its delivery event comes back.
"""

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from comms.errors import AmbiguousDeliveryError, PermanentDeliveryError, from_http_status, from_requests_error


def email_send(*, to: str, from_address: str, subject: str, body: str, html: str, headers: dict, outbox_id: str) -> str:
    """Hand one e-mail to the provider; the provider's message id ("" when it gives none, as the console).
    Raises a comms.errors.DeliveryError."""
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    email = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_address or None, to=[to], headers=headers, connection=connection
    )
    if html:
        email.attach_alternative(html, "text/html")
    email.metadata = {"outbox_id": outbox_id}  # anymail sends it to the provider; Django's backends ignore it
    try:
        email.send()
    except AnymailRecipientsRefused as error:
        raise PermanentDeliveryError(f"The provider refused the recipient: {error}") from error
    except AnymailAPIError as error:
        if error.status_code is None:
            raise from_requests_error(error, settings.EMAIL_PROVIDER) from error
        if error.status_code < 300:  # the provider took it, but its answer made no sense
            raise AmbiguousDeliveryError(str(error)) from error
        raise from_http_status(error.status_code, str(error)) from error
    status = getattr(email, "anymail_status", None)
    return (status.message_id or "") if status is not None else ""
