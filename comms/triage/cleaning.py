"""The new words of an inbound message: HTML flattened, a forwarded message unwrapped, quoted replies and the
signature cut off, spelling of the words the extractors look for repaired.

Real messages arrive as "Fwd:" chains, replies over a quoted thread, phone-typed SMS and Outlook HTML; the
extractors after this see only what the sender wrote this time (or, for a forward, what the forwarded sender
wrote), so a date in a quoted "On Mon, Jun 2 ... wrote:" line or a phone number in a signature is not read as
the event's date or guest count."""

import html
import re
from dataclasses import dataclass

from comms.triage.spelling import fix_spelling

_TAG_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h\d)\s*/?\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,500}>")
_HTML_HINT = re.compile(r"<\s*/?\s*(?:html|body|p|div|br|span|table|font|b|i|strong)\b", re.IGNORECASE)
_STYLE_OR_SCRIPT = re.compile(r"<\s*(style|script|head)\b.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)

_FORWARD_MARK = re.compile(
    r"^\s*(?:-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:|"
    r"-{2,}\s*forwarded by .*)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_LINE = re.compile(r"^\s*(?:from|sent|date|to|cc|bcc|subject|reply-to)\s*:.*$", re.IGNORECASE)
_SUBJECT_LINE = re.compile(r"^\s*subject\s*:\s*(.*)$", re.IGNORECASE)
_QUOTE_INTRO = re.compile(
    r"^[ \t]*(?:on\b[^\n]{0,200}(?:\n[^\n]{0,100})?\bwrote:|[^\n]{0,120}\bwrote:|le [^\n]{0,120}a écrit ?:|"
    r"am [^\n]{0,120}schrieb [^\n]{0,80}:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_OUTLOOK_REPLY = re.compile(
    r"^\s*(?:-{2,}\s*original message\s*-{2,}|from:\s.*\n\s*(?:sent|date):\s.*)$", re.IGNORECASE | re.MULTILINE
)
_SIGNATURE_START = re.compile(
    r"^(?:--\s*|__+|sent from my \w+.*|sent from (?:yahoo|outlook|mail|gmail).*|get outlook for .*|"
    r"sent via .*|sent with .*)$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^(?:best|best wishes|best regards|kind regards|warm regards|warmly|regards|cheers|thanks|thank you|"
    r"(?:thanks|thank you|many thanks) in advance|thanks a lot|thanks so much for your help|"
    r"thanks so much|thanks again|many thanks|thx|ty|sincerely|yours|all the best|talk soon|xo+|love|"
    r"cordially|respectfully|take care)\s*[,.!]*\s*(?:[-–—]?\s*(?-i:[A-Z])[\w.'-]*(?:\s+(?-i:[A-Z])[\w.'-]*){0,2})?"
    r"\s*[,.!]*$",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(r"^[-–—~]?\s*([A-Z][a-zA-Z'-]+)(?:\s+(?:&|and)\s+[A-Z][a-zA-Z'-]+|\s+[A-Z][a-zA-Z.'-]*){0,2}$")
_SIGN_OFF_NAME = re.compile(r"[,.!]?\s*[-–—]?\s*([A-Z][a-zA-Z'-]+)(?:\s+[A-Z][\w.'-]*){0,2}\s*[,.!]*$")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class CleanText:
    subject: str
    body: str
    signed_name: str  # the first name under the sign-off ("Best,\nJane Doe" -> "Jane"), or ""

    @property
    def text(self) -> str:
        """Subject and body as one text for the extractors (the subject first: "Wedding 6/14 - availability?")."""
        return f"{self.subject}\n{self.body}" if self.subject else self.body


def clean_message(*, subject: str, body: str) -> CleanText:
    body = _flatten_html(body).replace("\r\n", "\n").replace("\r", "\n")
    subject, body = _unwrap_forward(subject, body)
    body = _cut_quoted(body)
    body, signed_name = _cut_signature(body)
    subject = re.sub(r"^\s*(?:(?:re|fwd?|fw|aw|wg)\s*:\s*)+", "", subject, flags=re.IGNORECASE)
    return CleanText(subject=fix_spelling(_tidy(subject)), body=fix_spelling(_tidy(body)), signed_name=signed_name)


def _flatten_html(body: str) -> str:
    if not _HTML_HINT.search(body):
        return html.unescape(body) if "&" in body else body
    body = _STYLE_OR_SCRIPT.sub(" ", body)
    body = _TAG_BREAK.sub("\n", body)
    body = re.sub(r"<\s*blockquote\b.*?<\s*/\s*blockquote\s*>", "\n", body, flags=re.IGNORECASE | re.DOTALL)
    return html.unescape(_TAG.sub(" ", body))


def _unwrap_forward(subject: str, body: str) -> tuple[str, str]:
    """A forward is about the forwarded message: its Subject header replaces ours and the note above the
    marker ("see below, can you help?") stays in front of it."""
    mark = _FORWARD_MARK.search(body)
    if not mark:
        return subject, body
    note, forwarded = body[: mark.start()], body[mark.end() :]
    lines = forwarded.lstrip("\n").split("\n")
    headers_done = 0
    for index, line in enumerate(lines):
        if _HEADER_LINE.match(line):
            found = _SUBJECT_LINE.match(line)
            if found:
                subject = found.group(1)
            headers_done = index + 1
        elif line.strip() and index >= headers_done:
            break
    forwarded = "\n".join(lines[headers_done:])
    note = _cut_signature(note)[0]
    return subject, f"{note.strip()}\n\n{_unwrap_forward(subject, forwarded)[1]}".strip()


def _cut_quoted(body: str) -> str:
    """Everything from the first "On ... wrote:" or Outlook header block on is the old thread; "> " lines are
    quotes wherever they are."""
    cut = len(body)
    for pattern in (_QUOTE_INTRO, _OUTLOOK_REPLY):
        found = pattern.search(body)
        if found and found.start() > 0:
            cut = min(cut, found.start())
    return "\n".join(line for line in body[:cut].split("\n") if not line.lstrip().startswith(">"))


def _cut_signature(body: str) -> tuple[str, str]:
    """Drop the signature: from a "-- " line or "Sent from my iPhone" on, and a closing "Best,\\nName" block
    with the lines under it (phone, address) when it sits in the last lines of the message."""
    lines = body.rstrip().split("\n")
    for index, line in enumerate(lines):
        if index > 0 and _SIGNATURE_START.match(line.strip()):
            lines = lines[:index]
            break
    signed_name = ""
    tail_start = max(1, len(lines) - 8)
    for index in range(tail_start, len(lines)):
        line = lines[index].strip()
        if not _SIGN_OFF.match(line):
            continue
        rest = [other.strip() for other in lines[index + 1 :] if other.strip()]
        if len(rest) > 5 or any(len(other) > 80 for other in rest):
            continue
        on_line = _SIGN_OFF_NAME.search(line.split(",", 1)[-1]) if "," in line or " " in line else None
        below = _NAME_LINE.match(rest[0]) if rest else None
        if below:
            signed_name = below.group(1)
        elif on_line and not _SIGN_OFF.fullmatch(on_line.group(0).strip(" ,.!-–—")):
            signed_name = on_line.group(1)
        lines = lines[:index]
        break
    return "\n".join(lines), signed_name


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
