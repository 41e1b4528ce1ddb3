"""Which attachments of an inbound message are kept: an allowed type, judged by the file name AND by its first
bytes (a renamed executable is no PDF), and no larger than settings.INBOUND_ATTACHMENT_MAX_BYTES. Kept files go
to Django's default storage (local disk or S3) under a name of ours, never the sender's path."""

import mimetypes
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile

from comms.models import Attachment, Message

_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension -> (content type we store, magic prefixes the content must start with; None: text)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "doc": ("application/msword", (_OLE,)),
    "txt": ("text/plain", None),
}


@dataclass(frozen=True)
class IncomingFile:
    filename: str
    content: bytes


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.3g} MB" if size >= 1024 * 1024 else f"{size / 1024:.3g} KB"


def extension_for(content_type: str) -> str:
    """The file extension we give a file that came with a content type and no name (MMS media)."""
    content_type = content_type.split(";")[0].strip().lower()
    known = next((extension for extension, (allowed, _) in ALLOWED.items() if allowed == content_type), None)
    return known or (mimetypes.guess_extension(content_type) or ".bin").lstrip(".")


def type_refusal(filename: str) -> str | None:
    """Why a file of this name is refused whatever it holds, or None."""
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    return None if extension in ALLOWED else f"type .{extension or '?'} is not accepted"


def size_refusal() -> str:
    return f"larger than {_size(settings.INBOUND_ATTACHMENT_MAX_BYTES)}"


def attachment_refusal(incoming: IncomingFile) -> str | None:
    """Why this file is not kept, or None when it may be."""
    if reason := type_refusal(incoming.filename):
        return reason
    if len(incoming.content) > settings.INBOUND_ATTACHMENT_MAX_BYTES:
        return size_refusal()
    extension = os.path.splitext(incoming.filename)[1].lower().lstrip(".")
    _, magics = ALLOWED[extension]
    if magics is None:
        if b"\x00" in incoming.content[:4096]:
            return "not a text file"
    elif not incoming.content.startswith(magics):
        return f"the content is not a .{extension} file"
    return None


def attachments_store(*, message: Message, files: list[IncomingFile], stored: list[str]) -> None:
    """Keep the acceptable files on `message`; add the others, with the reason, to message.refused_attachments.
    Appends each file name written to storage to `stored`, for the caller to delete if its transaction fails."""
    refused = []
    for incoming in files:
        name = os.path.basename(incoming.filename.replace("\\", "/"))[:200] or "attachment"
        reason = attachment_refusal(incoming)
        if reason:
            refused.append({"filename": name, "reason": reason})
            continue
        extension = os.path.splitext(name)[1].lower().lstrip(".")
        attachment = Attachment(
            message=message, filename=name, content_type=ALLOWED[extension][0], size=len(incoming.content)
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(incoming.content), save=False)
        stored.append(attachment.file.name)
        attachment.save()
    if refused:
        message.refused_attachments = [*message.refused_attachments, *refused]
        message.save(update_fields=["refused_attachments"])
