"""Message templates: SMS length and segments, rendering with branding, syntax errors as form errors, the
admin preview."""

import datetime as dt

import pytest

from accounts.models import BusinessProfile
from comms.models import MessageTemplate
from comms.services.templates import TemplateRenderError, message_context, template_render
from comms.sms_length import sms_length
from tests.factories import EventFactory

# --- SMS length (pure) ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters take two septets
        ("[" * 81, "GSM-7", 162, 2),
        ("é" + "a" * 159, "GSM-7", 160, 1),  # é is in the GSM basic set
        ("’" + "a" * 69, "UCS-2", 70, 1),  # a curly apostrophe switches the whole text to UCS-2
        ("’" + "a" * 70, "UCS-2", 71, 2),
        ("😀" * 35, "UCS-2", 70, 1),  # an emoji is two UTF-16 units
        ("😀" * 34 + "a" * 67, "UCS-2", 135, 3),
    ],
)
def test_sms_length(text, encoding, units, segments):
    size = sms_length(text)
    assert (size.encoding, size.units, size.segments) == (encoding, units, segments)


def test_the_limit_per_segment_drops_once_split():
    assert sms_length("a" * 160).per_segment == 160 and sms_length("a" * 161).per_segment == 153
    assert sms_length("😀").per_segment == 70 and sms_length("😀" * 40).per_segment == 67


# --- rendering ------------------------------------------------------------------------------------------------


def _email(**fields) -> MessageTemplate:
    defaults = {
        "name": "Hello",
        "slug": "hello",
        "channel": "email",
        "subject": "Hi {{ client.first_name }}",
        "text_body": "Dear {{ client.name }}, see you on {{ event.date|date:'j F Y' }}. {{ business.name }}",
        "html_body": "<p>Dear {{ client.name }}</p>",
    }
    return MessageTemplate.objects.create(**(defaults | fields))


@pytest.mark.django_db
def test_email_renders_with_the_recipient_and_the_business_branding(client_a):
    BusinessProfile.objects.create(name="Spin City DJs", phone="+15551230000")
    event = EventFactory(client=client_a, title="Wedding", date=dt.date(2027, 6, 12))
    event.refresh_from_db()
    rendered = template_render(template=_email(), context=message_context(event=event))
    assert rendered.subject == "Hi Alice"
    assert rendered.text == "Dear Alice & Alex, see you on 12 June 2027. Spin City DJs"
    assert "<p>Dear Alice &amp; Alex</p>" in rendered.html  # HTML is escaped, text is not
    assert "Spin City DJs" in rendered.html and "+15551230000" in rendered.html  # the branded layout


@pytest.mark.django_db
def test_sms_renders_its_own_body():
    template = MessageTemplate.objects.create(
        name="Reminder", slug="reminder", channel="sms", sms_body="Hi {{ client.first_name }} & co!"
    )
    rendered = template_render(template=template, context={"client": {"first_name": "Sam"}})
    assert rendered.text == "Hi Sam & co!" and rendered.html == ""


@pytest.mark.django_db
def test_a_syntax_error_is_a_form_error_on_its_field():
    template = MessageTemplate(name="Bad", slug="bad", channel="email", subject="Hi", text_body="{% if %}")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert "text_body" in caught.value.message_dict
    assert "syntax error" in caught.value.message_dict["text_body"][0]


@pytest.mark.django_db
def test_a_channel_needs_its_body():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        MessageTemplate(name="S", slug="s", channel="sms").full_clean()
    assert "sms_body" in caught.value.message_dict


@pytest.mark.django_db
def test_a_broken_saved_template_raises_a_domain_error_not_a_crash():
    template = _email(text_body="{{ client.name|date:'Y' }}{% widthratio %}")
    with pytest.raises(TemplateRenderError):
        template_render(template=template, context={})


# --- admin ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_reports_a_syntax_error_in_the_form_not_a_500(client, owner):
    client.force_login(owner)
    response = client.post(
        "/admin/comms/messagetemplate/add/",
        {
            "name": "Bad",
            "slug": "bad",
            "channel": "email",
            "subject": "Hi {{ client.name|nosuchfilter }}",
            "text_body": "ok",
        },
    )
    assert response.status_code == 200
    assert "Template syntax error" in response.content.decode()
    assert not MessageTemplate.objects.filter(slug="bad").exists()


@pytest.mark.django_db
def test_admin_previews_with_sample_data_and_counts_sms(client, owner):
    client.force_login(owner)
    email = _email()
    page = client.get(f"/admin/comms/messagetemplate/{email.pk}/change/").content.decode()
    assert "Hi Sam" in page and "srcdoc=" in page and "Sam &amp;amp; Alex Rivera" in page
    assert "comms/sms_counter.js" in page
    sms = MessageTemplate.objects.create(name="S", slug="s", channel="sms", sms_body="Hi {{ client.first_name }}’s")
    page = client.get(f"/admin/comms/messagetemplate/{sms.pk}/change/").content.decode()
    assert "8 characters (UCS-2), 1 segment(s)" in page
