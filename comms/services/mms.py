"""Media of inbound MMS: the webhook stores the text at once with the media still to fetch (Message.pending_media)
and answers Twilio; a q2 task then fetches each item from Twilio (comms.sms.sms_media_fetch: Twilio's API host only,
a byte cap, a deadline) and keeps it through the same checks as e-mail attachments (type by name and content,
size); what is not kept is listed in Message.refused_attachments with the reason.

Idempotent: the task may run twice, even at once. The results are recorded in one transaction that first locks the
message and finds its media still pending; a run that finds them done stores nothing. A type we never keep (video,
vCard…) is refused without being downloaded."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django_q.tasks import async_task

from comms.models import Message
from comms.services.attachments import (
    IncomingFile,
    attachments_store,
    extension_for,
    size_refusal,
    type_refusal,
)
from comms.sms import MediaRefused, MediaTooLarge, sms_media_fetch

FETCH_TASK = "comms.tasks.fetch_inbound_media"
MAX_MEDIA = 10  # Twilio sends at most 10 media per message
SWEEP_AFTER = timedelta(minutes=10)  # longer than a fetch may take (its deadline, then the task's timeout)


@dataclass(frozen=True)
class MediaRef:
    url: str
    content_type: str


def media_fetch_enqueue_on_commit(*, message_id: int) -> None:
    transaction.on_commit(lambda: async_task(FETCH_TASK, message_id, group="inbound"))


def inbound_media_sweep(*, now: datetime) -> int:
    """Hand over again the fetch of media still pending well after their message arrived (a worker died between
    storing the message and queueing its task, or during the fetch); how many messages. The fetch is idempotent."""
    stalled = list(
        Message.objects.exclude(pending_media=[])
        .filter(received_at__lt=now - SWEEP_AFTER)
        .order_by("received_at")
        .values_list("pk", flat=True)[:100]
    )
    for message_id in stalled:
        async_task(FETCH_TASK, message_id, group="inbound")
    return len(stalled)


def inbound_media_fetch(*, message_id: int) -> int | None:
    """Fetch and keep the pending media of one message; how many were kept, None when none were pending (done
    already, or by another run of the task at the same time)."""
    message = Message.objects.filter(pk=message_id).only("pending_media").first()
    if message is None or not message.pending_media:
        return None
    deadline = time.monotonic() + settings.INBOUND_MEDIA_TIMEOUT_SECONDS
    files: list[IncomingFile] = []
    refused: list[dict] = []
    for number, item in enumerate(message.pending_media, 1):
        filename = f"mms-{number}.{extension_for(item['content_type'])}"
        reason = type_refusal(filename) or _fetched(item["url"], filename, files, deadline)
        if reason:
            refused.append({"filename": filename, "reason": reason})
    return _record(message_id, files, refused)


def _fetched(url: str, filename: str, files: list[IncomingFile], deadline: float) -> str | None:
    """Fetch one item into `files`; the reason it was refused, or None."""
    try:
        files.append(
            IncomingFile(
                filename=filename,
                content=sms_media_fetch(url=url, max_bytes=settings.INBOUND_ATTACHMENT_MAX_BYTES, deadline=deadline),
            )
        )
    except MediaTooLarge:
        return size_refusal()
    except MediaRefused as error:
        return str(error)
    return None


def _record(message_id: int, files: list[IncomingFile], refused: list[dict]) -> int | None:
    stored: list[str] = []
    try:
        with transaction.atomic():
            message = Message.objects.select_for_update().get(pk=message_id)
            if not message.pending_media:
                return None  # another run recorded them first
            message.refused_attachments = [*message.refused_attachments, *refused]
            message.pending_media = []
            message.save(update_fields=["refused_attachments", "pending_media"])
            attachments_store(message=message, files=files, stored=stored)
            kept = len(stored)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return kept
