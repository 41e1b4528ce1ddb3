"""QR codes of an event's guest page (/e/<slug>/), for the table cards and the DJ booth: SVG for print and
PNG for anything else, drawn by segno (pure Python) with its own writers."""

import io

import segno
from django.conf import settings
from django.urls import reverse

from events.models import Event

SCALE = 10  # pixels (SVG units) per module
BORDER = 4  # the quiet zone the QR standard asks for, in modules
# M recovers from about 15% damage: enough for a creased or stained table card, with a small symbol.
ERROR_CORRECTION = "m"


def guest_page_url(event: Event) -> str:
    return settings.SITE_URL + reverse("events:guest", kwargs={"slug": event.slug})


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_CORRECTION, micro=False)


def qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=SCALE, border=BORDER, title=url, xmldecl=True)
    return out.getvalue()


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=SCALE, border=BORDER)
    return out.getvalue()
