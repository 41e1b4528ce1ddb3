"""Message templates: render one with a recipient's context and the business's branding, report syntax errors
as form errors, and the sample context the admin previews with.

Every template gets `business` (name, logo_url, email, phone, website). E-mail HTML is autoescaped and placed
inside the branded layout (comms/email/branded.html); plain text and SMS are rendered without escaping (they
are not HTML)."""

from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string

from accounts.models import BusinessProfile
from comms.models import Channel, Lead, MessageTemplate
from djbiz.errors import DomainError
from events.models import Client, Event

BODY_FIELDS = ("subject", "html_body", "text_body", "sms_body")


class TemplateRenderError(DomainError):
    code = "template_error"


@dataclass(frozen=True)
class RenderedMessage:
    channel: str
    subject: str
    text: str  # the e-mail's plain text or the SMS
    html: str


def _engine() -> Engine:
    return Engine.get_default()


def template_errors(template: MessageTemplate) -> dict[str, str]:
    """{field: message} for each body that does not compile, and for a body the channel needs but lacks."""
    errors: dict[str, str] = {}
    for field in BODY_FIELDS:
        try:
            _engine().from_string(getattr(template, field))
        except TemplateSyntaxError as error:
            errors[field] = f"Template syntax error: {error}"
    if template.channel == Channel.EMAIL:
        if not template.subject.strip():
            errors.setdefault("subject", "An e-mail needs a subject.")
        if not template.text_body.strip():
            errors.setdefault("text_body", "An e-mail needs a plain-text body (mail clients and spam filters).")
    elif not template.sms_body.strip():
        errors.setdefault("sms_body", "An SMS template needs its text.")
    return errors


def business_branding() -> dict:
    business = BusinessProfile.current()
    return {
        "name": business.name,
        "logo_url": settings.SITE_URL + business.logo.url if business.logo else "",
        "email": business.email,
        "phone": business.phone,
        "website": business.website,
    }


def message_context(
    *, client: Client | None = None, event: Event | None = None, lead: Lead | None = None, extra: dict | None = None
) -> dict:
    """What templates may use about a recipient: `client`, `event` (when there is one) and `extra`. A lead (an
    open-leads campaign) is `lead`, with the event it asked about, and also `client` (name, first name, e-mail,
    phone), so a template written for clients greets a lead by name too."""
    client = client or (event.client if event else None)
    context: dict = {}
    if client is not None:
        context["client"] = _person(client.name, client.email, client.phone)
    if lead is not None:
        context["client"] = _person(lead.name, lead.email, lead.phone)
        context["lead"] = context["client"] | {
            "event_type": lead.get_event_type_display() if lead.event_type else "",
            "event_date": lead.event_date,
            "guest_count": lead.guest_count,
            "venue": lead.venue,
        }
    if event is not None:
        context["event"] = {
            "title": event.title,
            "type": event.get_event_type_display(),
            "date": event.date,
            "starts_at": event.local_starts_at,
            "venue": event.venue.name if event.venue_id else "",
            "guest_count": event.guest_count,
        }
    return context | (extra or {})


def _person(name: str, email: str, phone: str) -> dict:
    return {"name": name, "first_name": name.split(" ")[0], "email": email, "phone": phone}


def sample_context() -> dict:
    """The admin's preview data."""
    import datetime as dt

    return {
        "client": {"name": "Sam & Alex Rivera", "first_name": "Sam", "email": "sam@example.com", "phone": ""},
        "event": {
            "title": "Sam & Alex's wedding",
            "type": "Wedding",
            "date": dt.date(2027, 6, 12),
            "starts_at": dt.datetime(2027, 6, 12, 17, 0),
            "venue": "The Boathouse",
            "guest_count": 120,
        },
        "lead": {
            "name": "Jordan Lee",
            "first_name": "Jordan",
            "email": "jordan@example.com",
            "phone": "",
            "event_type": "Birthday",
            "event_date": dt.date(2027, 8, 21),
            "guest_count": 60,
            "venue": "Rooftop bar",
        },
        "survey_url": settings.SITE_URL + "/survey/sample/",
    }


def template_render(*, template: MessageTemplate, context: dict) -> RenderedMessage:
    """Render `template` for one recipient. Raises TemplateRenderError (never a 500) when a body does not
    compile or fails while rendering."""
    context = {"business": business_branding()} | context
    try:
        if template.channel == Channel.SMS:
            return RenderedMessage(
                channel=Channel.SMS, subject="", text=_render(template.sms_body, context).strip(), html=""
            )
        subject = " ".join(_render(template.subject, context).split())
        html = ""
        if template.html_body.strip():
            inner = _engine().from_string(template.html_body).render(Context(context))
            html = render_to_string(
                "comms/email/branded.html", {"business": context["business"], "content": inner, "subject": subject}
            )
        return RenderedMessage(
            channel=Channel.EMAIL, subject=subject, text=_render(template.text_body, context).strip(), html=html
        )
    except (TemplateSyntaxError, ValueError, TypeError, AttributeError) as error:
        raise TemplateRenderError(f"The template {template.slug!r} could not be rendered: {error}") from error


def _render(source: str, context: dict) -> str:
    return _engine().from_string(source).render(Context(context, autoescape=False))
