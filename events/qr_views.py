"""The guest page's QR code as SVG and PNG, and a printable table card with it. Public, like the page."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from events import qr
from events.selectors import events_for_guests

# The code depends only on the slug and SITE_URL: let browsers and proxies keep it for a day.
_cacheable = cache_control(public=True, max_age=24 * 60 * 60)


@require_safe
@_cacheable
def qr_svg(request, slug: str):
    event = get_object_or_404(events_for_guests(), slug=slug)
    return HttpResponse(qr.qr_svg(qr.guest_page_url(event)), content_type="image/svg+xml")


@require_safe
@_cacheable
def qr_png(request, slug: str):
    event = get_object_or_404(events_for_guests(), slug=slug)
    return HttpResponse(qr.qr_png(qr.guest_page_url(event)), content_type="image/png")


@require_safe
def table_card(request, slug: str):
    event = get_object_or_404(events_for_guests(), slug=slug)
    return render(request, "events/table_card.html", {"event": event, "url": qr.guest_page_url(event)})
