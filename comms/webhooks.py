"""Twilio's webhooks: message status callbacks and inbound SMS (and MMS, whose media a task fetches afterwards).
Both are signed by Twilio (X-Twilio-Signature, checked with the SDK's RequestValidator against our public URL); an
unsigned or forged request gets 403. Twilio's signatures carry no timestamp, so a captured request replays with a
valid signature: each is stored by (MessageSid, status) first, and a replay changes nothing."""

from xml.sax.saxutils import escape

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from comms.models import MessageChannel
from comms.services.consent import sms_keyword_handle
from comms.services.delivery_events import TWILIO_STATUSES, delivery_event_record
from comms.services.inbound import Incoming, inbound_receive
from comms.services.mms import MAX_MEDIA, MediaRef
from comms.sms import twilio_request_valid

_EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _media(form) -> list[MediaRef]:
    """An MMS's media as Twilio lists them (NumMedia, MediaUrl0.., MediaContentType0..); fetched later by a task,
    so the webhook answers at once."""
    count = form.get("NumMedia", "0")
    count = min(int(count), MAX_MEDIA) if count.isdigit() else 0
    return [
        MediaRef(url=form[f"MediaUrl{n}"], content_type=form.get(f"MediaContentType{n}", ""))
        for n in range(count)
        if form.get(f"MediaUrl{n}")
    ]


def _forbidden() -> HttpResponse:
    return HttpResponse("Invalid Twilio signature.", status=403, content_type="text/plain")


@csrf_exempt  # Twilio signs the request instead
@require_POST
def twilio_status(request: HttpRequest, token) -> HttpResponse:
    """StatusCallback of one outbox SMS; `token` is the message's uuid, which we put in the URL when sending."""
    if not twilio_request_valid(request):
        return _forbidden()
    sid, status = request.POST.get("MessageSid", ""), request.POST.get("MessageStatus", "")
    if not sid or not status:
        return HttpResponse("MessageSid and MessageStatus are required.", status=400, content_type="text/plain")
    delivery_event_record(
        provider="twilio",
        provider_message_id=sid,
        event=status,
        effect=TWILIO_STATUSES.get(status),
        outbox_uuid=str(token),
        error_code=request.POST.get("ErrorCode", ""),
        payload=request.POST.dict(),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound_sms(request: HttpRequest) -> HttpResponse:
    """A text to our number. STOP / START / HELP are honoured here (HELP is answered); any other text goes into
    the sender's conversation (comms/services/inbound.py)."""
    if not twilio_request_valid(request):
        return _forbidden()
    sid = request.POST.get("MessageSid", "")
    first_time = sid and delivery_event_record(
        provider="twilio", provider_message_id=sid, event="inbound", effect=None, payload=request.POST.dict()
    )
    reply = None
    if first_time:
        reply = sms_keyword_handle(from_number=request.POST.get("From", ""), body=request.POST.get("Body", ""))
        media = _media(request.POST)
        if reply is None and request.POST.get("From") and (request.POST.get("Body", "").strip() or media):
            inbound_receive(
                incoming=Incoming(
                    channel=MessageChannel.SMS,
                    sender=request.POST["From"],
                    subject="",
                    body=request.POST.get("Body", ""),
                    received_at=timezone.now(),
                    provider="twilio",
                    provider_message_id=sid,
                    media=media,
                )
            )
    twiml = _EMPTY_TWIML
    if reply:
        twiml = f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{escape(reply)}</Message></Response>'
    return HttpResponse(twiml, content_type="text/xml")
