"""Inbound MMS: the webhook stores the text and answers at once; a q2 task fetches the media from the fake Twilio
(basic auth, its redirect to the CDN) through the attachment checks. Refused: a media URL on any other host (SSRF),
a redirect to a private address, an oversized file (announced or counted while streaming), a type we do not keep,
content that is not what it claims, media left when the time is up. The task runs twice and stores once."""

import base64
import time
from urllib.parse import urlsplit

import pytest
from django_q.models import OrmQ

from comms.models import Attachment, Message
from comms.services.mms import SWEEP_AFTER, inbound_media_fetch, inbound_media_sweep
from tests.comms.conftest import SITE_URL, TWILIO_SID, TWILIO_TOKEN, run_queued_tasks
from tests.fakes.media_server import MediaServer
from tests.fakes.twilio_server import FakeTwilio

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00JFIF" + b"\x01" * 3000
PDF = b"%PDF-1.7\n" + b"x" * 500
PNG_LIE = b"just some text, not a picture"
AUTH = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _mms(client, twilio, media: list[tuple[str, str]], *, body="Here's the venue floor plan", sid="MM100"):
    params = {
        "MessageSid": sid,
        "From": "+15550109999",
        "To": "+15550001111",
        "Body": body,
        "AccountSid": twilio.account_sid,
        "NumMedia": str(len(media)),
    }
    for n, (url, content_type) in enumerate(media):
        params |= {f"MediaUrl{n}": url, f"MediaContentType{n}": content_type}
    return client.post("/webhooks/twilio/sms/", params, **twilio.signed(f"{SITE_URL}/webhooks/twilio/sms/", params))


def _files(message: Message) -> dict[str, bytes]:
    return {a.filename: a.file.read() for a in message.attachments.order_by("filename")}


def test_the_webhook_answers_first_and_a_task_fetches_the_media(client, twilio, django_capture_on_commit_callbacks):
    photo = twilio.add_media(JPEG, "image/jpeg")
    plan = twilio.add_media(PDF, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = _mms(client, twilio, [(photo, "image/jpeg"), (plan, "application/pdf")])
    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    message = Message.objects.get()
    assert message.body == "Here's the venue floor plan" and message.attachments.count() == 0
    assert message.pending_media == [
        {"url": photo, "content_type": "image/jpeg"},
        {"url": plan, "content_type": "application/pdf"},
    ]
    assert twilio.media_gets == []  # nothing fetched while Twilio waits for the answer
    assert [q.task["func"] for q in OrmQ.objects.all()] == ["comms.tasks.fetch_inbound_media"]

    assert run_queued_tasks() == [2]
    message.refresh_from_db()
    assert _files(message) == {"mms-1.jpg": JPEG, "mms-2.pdf": PDF}
    assert [(a.content_type, a.size) for a in message.attachments.order_by("filename")] == [
        ("image/jpeg", len(JPEG)),
        ("application/pdf", len(PDF)),
    ]
    assert message.pending_media == [] and message.refused_attachments == []
    # Our account's credentials on the media URL, then Twilio's redirect to its CDN followed.
    assert [(path.split("/")[1], auth) for path, auth in twilio.media_gets] == [
        ("2010-04-01", AUTH),
        ("cdn", AUTH),
        ("2010-04-01", AUTH),
        ("cdn", AUTH),
    ]


def test_a_picture_without_text_is_kept_too(client, twilio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _mms(client, twilio, [(twilio.add_media(JPEG), "image/jpeg")], body="")
    run_queued_tasks()
    assert _files(Message.objects.get()) == {"mms-1.jpg": JPEG}


def test_the_task_run_twice_stores_once(client, twilio):
    _mms(client, twilio, [(twilio.add_media(JPEG), "image/jpeg")])
    message = Message.objects.get()
    assert inbound_media_fetch(message_id=message.pk) == 1
    assert inbound_media_fetch(message_id=message.pk) is None  # a redelivered task: nothing pending
    assert Attachment.objects.count() == 1 and len(twilio.media_gets) == 2


def test_media_whose_fetch_was_lost_are_fetched_by_the_sweep(client, twilio):
    _mms(client, twilio, [(twilio.add_media(JPEG), "image/jpeg")])  # the task never queued: commit hooks not run
    message = Message.objects.get()
    assert inbound_media_sweep(now=message.received_at + SWEEP_AFTER / 2) == 0  # the fetch may still be running
    assert inbound_media_sweep(now=message.received_at + SWEEP_AFTER * 2) == 1
    assert run_queued_tasks() == [1]
    assert _files(Message.objects.get()) == {"mms-1.jpg": JPEG}
    assert inbound_media_sweep(now=message.received_at + SWEEP_AFTER * 3) == 0


def test_a_replayed_webhook_queues_no_second_fetch(client, twilio, django_capture_on_commit_callbacks):
    url = twilio.add_media(JPEG)
    with django_capture_on_commit_callbacks(execute=True):
        _mms(client, twilio, [(url, "image/jpeg")])
        _mms(client, twilio, [(url, "image/jpeg")])
    assert OrmQ.objects.count() == 1 and Message.objects.count() == 1


def test_media_urls_on_any_other_host_are_refused_unread(client, twilio, settings):
    elsewhere = MediaServer().start()
    try:
        path = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/MM1/Media/ME1"
        other_account = twilio.add_media(JPEG).replace(TWILIO_SID, "AC" + "9" * 32)
        _mms(
            client,
            twilio,
            [
                (elsewhere.file(path, JPEG, "image/jpeg"), "image/jpeg"),  # same address, another port
                (f"http://169.254.169.254{path}", "image/jpeg"),  # the cloud's metadata service
                (f"{twilio.url}@evil.example.com{path}", "image/jpeg"),  # looks like ours, is not
                (other_account, "image/jpeg"),  # Twilio's host, another account's media
            ],
        )
        message = Message.objects.get()
        assert inbound_media_fetch(message_id=message.pk) == 0
    finally:
        elsewhere.stop()
    message.refresh_from_db()
    reason = "not a media address of our Twilio account: not fetched"
    assert message.refused_attachments == [{"filename": f"mms-{n}.jpg", "reason": reason} for n in (1, 2, 3, 4)]
    assert elsewhere.requests == [] and twilio.media_gets == []
    assert message.pending_media == []


def test_a_redirect_off_twilio_goes_only_to_public_addresses_and_without_our_credentials(client, twilio, settings):
    cdn = FakeTwilio(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN).start()  # another host: Twilio's CDN
    try:
        target = cdn.add_cdn_file(JPEG)
        for sid in ("MM1", "MM2"):
            media = twilio.add_media(JPEG)
            twilio.redirect_media(media, target)
            _mms(client, twilio, [(media, "image/jpeg")], sid=sid)
        first, second = Message.objects.order_by("pk")

        inbound_media_fetch(message_id=first.pk)  # 127.0.0.1 is no public address: refused before connecting
        first.refresh_from_db()
        assert first.refused_attachments[0]["reason"].startswith("redirected to a refused address (127.0.0.1 is")
        assert cdn.media_gets == []

        settings.MUSIC_DOWNLOAD_ALLOW_HOST = cdn.url.removeprefix("http://")  # as if the CDN were public
        assert inbound_media_fetch(message_id=second.pk) == 1
        assert _files(second) == {"mms-1.jpg": JPEG}
        assert cdn.media_gets == [(urlsplit(target).path, "")]  # our credentials stayed with Twilio
    finally:
        cdn.stop()


def test_oversized_media_are_refused_announced_or_counted(client, twilio, settings):
    settings.INBOUND_ATTACHMENT_MAX_BYTES = 2048
    announced = twilio.add_media(JPEG, "image/jpeg")  # Content-Length 3009
    streamed = twilio.add_media(JPEG * 100, "image/jpeg", length=False)  # 300 KB, no Content-Length
    small = twilio.add_media(PDF, "application/pdf")
    _mms(client, twilio, [(announced, "image/jpeg"), (streamed, "image/jpeg"), (small, "application/pdf")])
    message = Message.objects.get()
    assert inbound_media_fetch(message_id=message.pk) == 1
    message.refresh_from_db()
    assert message.refused_attachments == [
        {"filename": "mms-1.jpg", "reason": "larger than 2 KB"},
        {"filename": "mms-2.jpg", "reason": "larger than 2 KB"},
    ]
    assert _files(message) == {"mms-3.pdf": PDF}


def test_types_we_do_not_keep_are_refused(client, twilio):
    video = twilio.add_media(b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    vcard = twilio.add_media(b"BEGIN:VCARD", "text/vcard")
    lying = twilio.add_media(PNG_LIE, "image/png")
    _mms(client, twilio, [(video, "video/mp4"), (vcard, "text/vcard"), (lying, "image/png")])
    message = Message.objects.get()
    assert inbound_media_fetch(message_id=message.pk) == 0
    message.refresh_from_db()
    assert message.refused_attachments == [
        {"filename": "mms-1.mp4", "reason": "type .mp4 is not accepted"},
        {"filename": "mms-2.vcf", "reason": "type .vcf is not accepted"},
        {"filename": "mms-3.png", "reason": "the content is not a .png file"},
    ]
    assert len(twilio.media_gets) == 2  # only the "png" was downloaded (media URL and CDN)


def test_media_twilio_no_longer_has_and_media_past_the_deadline(client, twilio, settings):
    gone = twilio.add_media(JPEG)
    twilio.redirect_media(gone, f"{twilio.url}/cdn/deleted")
    _mms(client, twilio, [(gone, "image/jpeg")], sid="MM1")
    _mms(client, twilio, [(twilio.add_media(JPEG), "image/jpeg")], sid="MM2")
    first, second = Message.objects.order_by("pk")
    inbound_media_fetch(message_id=first.pk)
    settings.INBOUND_MEDIA_TIMEOUT_SECONDS = 0  # the time is up before the media start
    inbound_media_fetch(message_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.refused_attachments == [{"filename": "mms-1.jpg", "reason": "Twilio answered 404"}]
    assert second.refused_attachments == [{"filename": "mms-1.jpg", "reason": "timed out"}]


def test_a_silent_server_times_out(client, twilio, settings):
    settings.INBOUND_MEDIA_TIMEOUT_SECONDS = 1
    _mms(client, twilio, [(twilio.add_media(JPEG, stall=3), "image/jpeg")])
    message = Message.objects.get()
    started = time.monotonic()
    assert inbound_media_fetch(message_id=message.pk) == 0
    assert time.monotonic() - started < 2.5
    message.refresh_from_db()
    assert message.refused_attachments == [{"filename": "mms-1.jpg", "reason": "timed out"}]


def test_the_inbox_says_media_are_on_the_way_then_lists_them(client, twilio, staff_dj):
    _mms(client, twilio, [(twilio.add_media(JPEG), "image/jpeg"), (twilio.add_media(b"x", "video/mp4"), "video/mp4")])
    client.force_login(staff_dj)
    assert "2 pictures or files on the way from Twilio…" in client.get("/inbox/").content.decode()
    inbound_media_fetch(message_id=Message.objects.get().pk)
    page = client.get("/inbox/").content.decode()
    assert "mms-1.jpg</a>" in page and "mms-2.mp4: refused, type .mp4 is not accepted" in page
    assert "on the way" not in page
