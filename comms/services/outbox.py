"""The outbox: queue a message, send it from a django-q2 task with retries, and never send it twice.

How "never twice" holds on an at-least-once queue (django-q2's ORM broker hands a task out again when its worker
dies, and two workers may hold the same task):

1. **Claim.** A worker sends a message only after moving its row from `queued` to `sending` with one conditional
   UPDATE (`status='queued' AND due_at<=now`). A second task for the same row finds nothing to claim and stops.
2. **Answer.** The provider's answer moves the row on: `sent` (with the provider's id), back to `queued` with a
   later `due_at` on a transient error (429, 5xx, connection refused: exponential backoff with jitter, up to
   OUTBOX_MAX_ATTEMPTS), `failed` on a permanent one (other 4xx, refused recipient).
3. **No answer.** When the request left but no answer came (read timeout, dropped connection), or the worker
   died between the provider's answer and our save, the row stays `sending`. Nothing re-sends a `sending` row
   blindly; the sweep (every minute) reconciles rows held longer than OUTBOX_SENDING_LEASE_SECONDS (longer than
   any provider call may take):
   - SMS: Twilio has no idempotency key, so we ask Twilio. Its Messages list for the recipient and our sender
     shows whether a message with this text was created after our claim: if so (and no other row holds that
     SID: the same text may have gone to the same number just before) the row becomes `sent` with that SID; if
     not, Twilio never took it and the row goes back to `queued`. Every SMS also carries a status
     callback URL holding the row's uuid, so Twilio's own callbacks settle the row, often before the sweep.
   - E-mail: no provider anymail supports can be asked reliably, so the row goes to `review` for staff, who see
     the Message-ID we set (made from the row's uuid) and the provider's activity, then retry or mark it sent
     in the admin. The provider's webhooks carry our row's uuid as metadata, so a delivery or bounce event
     settles the row by itself, in `sending` or `review` alike.
   Sending twice is thus traded for, at worst, a message that waits for a person: right for a DJ business,
   where a duplicate reminder or quote costs more than an hour's delay.

Just before the claim, consent and quiet hours are checked again: a marketing message whose recipient opted out
since it was queued becomes `suppressed`; an SMS due in the recipient's quiet hours gets the morning as `due_at`
(the sweep hands it over then). Webhook events and admin actions move a row only along the arrows of
comms/status.py.
"""

import logging
import random
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_q.tasks import async_task

from comms import mailer, sms
from comms.errors import AmbiguousDeliveryError, DeliveryError, PermanentDeliveryError, TransientDeliveryError
from comms.models import Channel, OptOutSource, OutboxMessage, Purpose, normalize_address
from comms.services.consent import (
    opt_out_record,
    opted_out,
    quiet_hours_end,
    recipient_time_zone,
    unsubscribe_url,
)
from comms.status import OutboxStatus, statuses_leading_to
from djbiz.errors import DomainError
from events.models import Client, Event

logger = logging.getLogger(__name__)
S = OutboxStatus
SEND_TASK = "comms.tasks.send_message"
SMS_OPT_OUT_HINT = "Reply STOP to opt out."


class OutboxError(DomainError):
    code = "invalid_message"


# --- queueing -------------------------------------------------------------------------------------------------


def message_queue(
    *,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    html: str = "",
    purpose: str = Purpose.TRANSACTIONAL,
    from_address: str = "",
    headers: dict | None = None,
    template: str = "",
    context: dict | None = None,
    client: Client | None = None,
    event: Event | None = None,
    send_at: datetime | None = None,
    respect_quiet_hours: bool = True,
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Store a message in the outbox and, after commit, hand it to the worker. A second call with the same
    idempotency key returns the first message and queues nothing. A marketing message to a recipient who opted
    out is stored as `suppressed` and never sent. `template` and `context` (JSON: ids and strings) record what the
    text was rendered from. Raises OutboxError for an unusable address or an empty text."""
    if idempotency_key:
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    to = _checked_recipient(channel, to)
    if not body.strip():
        raise OutboxError("The message has no text.", field="body")
    if purpose not in Purpose.values:
        raise OutboxError(f"Unknown purpose {purpose!r}.", field="purpose")
    if event is not None and client is None:
        client = event.client
    now = timezone.now()
    due_at = max(send_at or now, now)
    message = OutboxMessage(
        channel=channel,
        purpose=purpose,
        to=to,
        from_address=from_address,
        subject=subject[:255],
        body=body,
        html=html,
        headers=dict(headers or {}),
        template=template,
        context=context or {},
        client=client,
        event=event,
        due_at=due_at,
        enqueued_at=now if due_at <= now else None,
        respect_quiet_hours=respect_quiet_hours,
        time_zone=recipient_time_zone(client=client, event=event) if channel == Channel.SMS else "",
        idempotency_key=idempotency_key or None,
    )
    if channel == Channel.EMAIL:
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "djbiz.local"
        message.message_id_header = f"<{message.uuid}@{domain}>"
    if purpose == Purpose.MARKETING:
        _add_unsubscribe(message)
        if opted_out(channel=channel, address=to):
            message.status, message.enqueued_at = S.SUPPRESSED, None
            message.last_error = "The recipient opted out of marketing."
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if idempotency_key and (existing := OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()):
            return existing  # queued at the same moment by another caller
        raise
    if message.enqueued_at is not None:
        _enqueue_on_commit([message.pk])
    return message


def _checked_recipient(channel: str, to: str) -> str:
    if channel not in Channel.values:
        raise OutboxError(f"Unknown channel {channel!r}.", field="channel")
    to = normalize_address(channel, to)
    if channel == Channel.EMAIL:
        try:
            validate_email(to)
        except ValidationError as error:
            raise OutboxError(f"{to!r} is not an e-mail address.", field="to") from error
    elif not (to.startswith("+") and 8 <= len(to) <= 16):
        raise OutboxError("An SMS needs a phone number in international form, e.g. +15551234567.", field="to")
    return to


def _add_unsubscribe(message: OutboxMessage) -> None:
    """Marketing carries a way out: the List-Unsubscribe headers (one click, RFC 8058) and a link in the text
    of an e-mail; the STOP hint in an SMS."""
    if message.channel == Channel.SMS:
        if "STOP" not in message.body.upper():
            message.body = f"{message.body.rstrip()}\n{SMS_OPT_OUT_HINT}"
        return
    link = unsubscribe_url(channel=Channel.EMAIL, address=message.to)
    message.headers |= {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    message.body = f"{message.body.rstrip()}\n\n--\nUnsubscribe: {link}\n"
    if message.html:
        footer = f'<p style="font-size:12px;color:#666"><a href="{link}">Unsubscribe</a></p>'
        message.html = (
            message.html.replace("</body>", f"{footer}</body>") if "</body>" in message.html else message.html + footer
        )


def _enqueue_on_commit(message_ids: list[int]) -> None:
    def enqueue() -> None:
        for message_id in message_ids:
            async_task(SEND_TASK, message_id, group="outbox")

    transaction.on_commit(enqueue)


# --- sending ----------------------------------------------------------------------------------------------------


def _move(message_id: int, to: str, *, only_from: tuple[str, ...] | None = None, **fields) -> bool:
    """Move a message to `to` if its current status allows it (comms/status.py), and is one of `only_from` when
    given; True when it moved."""
    allowed = [status for status in statuses_leading_to(to) if only_from is None or status in only_from]
    updated = OutboxMessage.objects.filter(pk=message_id, status__in=allowed).update(
        status=to, updated_at=timezone.now(), **fields
    )
    return bool(updated)


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the `attempts`-th try failed: base, x4, x16... plus up to 10% jitter, so that messages
    held back by one provider outage do not all come back in the same second."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 4 ** max(attempts - 1, 0)
    return timedelta(seconds=seconds * random.uniform(1.0, 1.1))  # noqa: S311 (jitter, not a secret)


def message_send(*, message_id: int, now: datetime | None = None) -> str | None:
    """Send one queued message if it is due; the task's body, safe to run any number of times at once.
    Returns the status it left the message in, None when there was nothing to do."""
    now = now or timezone.now()
    message = OutboxMessage.objects.filter(pk=message_id, status=S.QUEUED, due_at__lte=now).first()
    if message is None:
        return None
    if message.purpose == Purpose.MARKETING and opted_out(channel=message.channel, address=message.to):
        _move(message.pk, S.SUPPRESSED, last_error="The recipient opted out of marketing.")
        return S.SUPPRESSED
    if message.channel == Channel.SMS and message.respect_quiet_hours:
        morning = quiet_hours_end(now=now, time_zone=message.time_zone or recipient_time_zone())
        if morning is not None:
            OutboxMessage.objects.filter(pk=message.pk, status=S.QUEUED).update(
                due_at=morning, enqueued_at=None, updated_at=now
            )
            return S.QUEUED
    provider = settings.EMAIL_PROVIDER if message.channel == Channel.EMAIL else settings.SMS_PROVIDER
    claimed = OutboxMessage.objects.filter(pk=message.pk, status=S.QUEUED, due_at__lte=now).update(
        status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1, provider=provider, updated_at=now
    )
    if not claimed:
        return None  # another worker has it
    message.refresh_from_db()
    try:
        provider_id = _deliver(message)
    except DeliveryError as error:
        return _after_error(message, error, now=now)
    except Exception as error:
        # Not knowing what happened is the ambiguous case: the sweep reconciles the row.
        logger.exception("outbox send crashed", extra={"outbox_id": message.pk})
        OutboxMessage.objects.filter(pk=message.pk, status=S.SENDING).update(last_error=f"Crashed: {error!r}")
        raise
    if not _move(message.pk, S.SENT, provider_id=provider_id, sent_at=now, last_error=""):
        # A webhook settled it first (delivered, bounced): keep its status, note the id.
        OutboxMessage.objects.filter(pk=message.pk, provider_id="").update(provider_id=provider_id, sent_at=now)
    return S.SENT


def _deliver(message: OutboxMessage) -> str:
    if message.channel == Channel.EMAIL:
        return mailer.email_send(
            to=message.to,
            from_address=message.from_address,
            subject=message.subject,
            body=message.body,
            html=message.html,
            headers=message.headers | {"Message-ID": message.message_id_header},
            outbox_id=str(message.uuid),
        )
    callback = settings.SITE_URL + reverse("comms:twilio-status", args=[message.uuid])
    return sms.sms_send(to=message.to, body=message.body, status_callback=callback)


def _after_error(message: OutboxMessage, error: DeliveryError, *, now: datetime) -> str:
    detail = str(error)[:2000]
    if isinstance(error, AmbiguousDeliveryError):
        OutboxMessage.objects.filter(pk=message.pk, status=S.SENDING).update(last_error=detail, updated_at=now)
        logger.warning("outbox send ambiguous, left for reconciliation", extra={"outbox_id": message.pk})
        return S.SENDING
    if isinstance(error, TransientDeliveryError) and message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        _move(message.pk, S.QUEUED, due_at=now + retry_delay(message.attempts), enqueued_at=None, last_error=detail)
        return S.QUEUED
    if isinstance(error, PermanentDeliveryError) and error.opted_out:
        opt_out_record(channel=message.channel, address=message.to, source=OptOutSource.PROVIDER)
    _move(message.pk, S.FAILED, last_error=detail)
    return S.FAILED


# --- the sweep: due messages and crashed sends -------------------------------------------------------------------


def outbox_dispatch_due(*, now: datetime, limit: int = 500) -> int:
    """Hand the worker the queued messages that are due and not already handed over (retries whose backoff
    ended, quiet hours over, scheduled sends, a hand-over lost to a crash). Returns how many."""
    stale = now - timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    due = OutboxMessage.objects.filter(status=S.QUEUED, due_at__lte=now).filter(
        Q(enqueued_at=None) | Q(enqueued_at__lt=stale)
    )
    ids = list(due.order_by("due_at").values_list("pk", flat=True)[:limit])
    with transaction.atomic():
        OutboxMessage.objects.filter(pk__in=ids).update(enqueued_at=now)
        _enqueue_on_commit(ids)
    return len(ids)


def outbox_reconcile(*, now: datetime) -> int:
    """Settle the messages held in `sending` past the lease (a worker died, or the provider never answered);
    see the module docstring. Returns how many were settled."""
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    settled = 0
    for message in OutboxMessage.objects.filter(status=S.SENDING, claimed_at__lt=now - lease):
        if message.channel == Channel.SMS:
            settled += _reconcile_sms(message, now=now)
        else:
            settled += _move(
                message.pk,
                S.REVIEW,
                last_error=(
                    f"The worker stopped while handing this e-mail to {message.provider or 'the provider'} "
                    f"({message.last_error or 'no answer recorded'}). Look for Message-ID "
                    f"{message.message_id_header} in the provider's activity, then retry it or mark it sent."
                ),
            )
    return settled


def _reconcile_sms(message: OutboxMessage, *, now: datetime) -> bool:
    try:
        candidates = sms.sms_find_sent(
            to=message.to, body=message.body, since=message.claimed_at - timedelta(minutes=1)
        )
    except Exception:  # Twilio unreachable: try again at the next sweep
        logger.warning("outbox reconcile lookup failed", extra={"outbox_id": message.pk}, exc_info=True)
        return False
    # The same text to the same number may have gone out just before (another row): its SID is taken.
    known = set(OutboxMessage.objects.filter(provider_id__in=candidates).values_list("provider_id", flat=True))
    sid = next((candidate for candidate in candidates if candidate not in known), None)
    if sid:
        return _move(message.pk, S.SENT, provider_id=sid, sent_at=message.claimed_at, last_error="")
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        return _move(message.pk, S.FAILED, last_error="Twilio never took the message; no attempts left.")
    return _move(
        message.pk,
        S.QUEUED,
        only_from=(S.SENDING,),
        due_at=now,
        enqueued_at=None,
        last_error="The worker stopped before Twilio took the message (not in Twilio's log); sending again.",
    )


def outbox_sweep(*, now: datetime) -> dict[str, int]:
    return {"reconciled": outbox_reconcile(now=now), "dispatched": outbox_dispatch_due(now=now)}


# --- staff actions ------------------------------------------------------------------------------------------------


def message_retry(*, message_id: int, now: datetime | None = None) -> bool:
    """Staff send a failed (or under-review) message again, with a fresh set of attempts."""
    now = now or timezone.now()
    with transaction.atomic():
        moved = _move(
            message_id,
            S.QUEUED,
            only_from=(S.FAILED, S.REVIEW),
            due_at=now,
            enqueued_at=now,
            attempts=0,
            claimed_at=None,
        )
        if moved:
            _enqueue_on_commit([message_id])
    return moved


def message_mark_sent(*, message_id: int) -> bool:
    """Staff found a message under review in the provider's log: it went out."""
    return _move(message_id, S.SENT, only_from=(S.REVIEW,), last_error="")
