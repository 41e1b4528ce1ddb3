"""Campaigns to open leads: who is in the segment (new and contacted leads, not won or lost ones), the event-type
filter on the lead's event type, one message per address, opt-outs and the unsubscribe link exactly as for
clients; sent end to end through the fake Postmark."""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from comms.models import Campaign, CampaignRecipient, Lead, MessageTemplate, OptOut, OutboxMessage
from comms.services.campaigns import campaign_schedule, campaign_send_batch, campaign_stats, segment_recipients
from comms.services.consent import opt_out_record
from tests.comms.conftest import run_queued_tasks
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _campaign(channel="email", **fields) -> Campaign:
    template = MessageTemplate.objects.create(
        name="Still planning?",
        slug=f"leads-{channel}",
        channel=channel,
        subject="Hi {{ client.first_name|default:'there' }}",
        text_body="Dear {{ client.name }}, your {{ lead.event_type|lower|default:'party' }} is still open with us.",
        sms_body="Hi {{ lead.first_name }}, still planning your {{ lead.event_type|lower }}?",
    )
    return Campaign.objects.create(name="Leads", template=template, segment="open_leads", **fields)


def _lead(status="new", **fields) -> Lead:
    return Lead.objects.create(status=status, **fields)


def _start(campaign, now):
    campaign_schedule(campaign_id=campaign.pk, at=now)
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", started_at=now, next_batch_at=now)


def test_open_leads_are_new_and_contacted_ones_and_never_clients():
    _lead("new", email="new@example.com")
    _lead("contacted", email="contacted@example.com")
    _lead("won", email="won@example.com")
    _lead("lost", email="lost@example.com")
    ClientFactory(email="client@example.com")
    recipients = segment_recipients(campaign=_campaign(), now=timezone.now())
    assert set(recipients) == {"new@example.com", "contacted@example.com"}
    assert all(isinstance(person, Lead) for person in recipients.values())


def test_event_type_narrows_open_leads_by_the_lead_s_event_type():
    _lead(email="wedding@example.com", event_type="wedding")
    _lead(email="birthday@example.com", event_type="birthday")
    _lead(email="unknown@example.com")  # the type could not be read from the message
    weddings = _campaign(event_type="wedding")
    assert list(segment_recipients(campaign=weddings, now=timezone.now())) == ["wedding@example.com"]


def test_lead_addresses_are_deduplicated_and_opt_outs_left_out():
    first = _lead(email="Twice@Example.com")
    _lead(email="twice@example.com")  # wrote again from the same address: a second lead
    _lead(email="")  # texted, no e-mail address
    _lead(email="gone@example.com")
    opt_out_record(channel="email", address="gone@example.com", source="link")
    recipients = segment_recipients(campaign=_campaign(), now=timezone.now())
    assert recipients == {"twice@example.com": first}


def test_sms_to_open_leads_uses_their_numbers_and_honours_stop():
    _lead(phone="+15551230001", event_type="birthday", name="Jo Park")
    _lead(phone="+15551230002")
    _lead(phone="5551230003")  # not in international form
    _lead(email="mail-only@example.com")
    opt_out_record(channel="sms", address="+15551230002", source="keyword")
    campaign = _campaign("sms")
    assert list(segment_recipients(campaign=campaign, now=timezone.now())) == ["+15551230001"]

    now = timezone.now()
    _start(campaign, now)
    assert campaign_send_batch(campaign_id=campaign.pk, now=now) == 1
    message = OutboxMessage.objects.get()
    assert message.to == "+15551230001" and message.purpose == "marketing"
    assert message.body == "Hi Jo, still planning your birthday?\nReply STOP to opt out."
    assert message.client is None


def test_a_lead_opting_out_mid_campaign_is_skipped(settings):
    settings.CAMPAIGN_BATCH_SIZE = 1
    _lead(email="first@example.com")
    _lead(email="second@example.com")
    campaign = _campaign()
    now = timezone.now()
    _start(campaign, now)
    campaign_send_batch(campaign_id=campaign.pk, now=now)
    opt_out_record(channel="email", address="second@example.com", source="link")
    campaign_send_batch(campaign_id=campaign.pk, now=now + timezone.timedelta(minutes=5))
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["first@example.com"]
    assert CampaignRecipient.objects.get(address="second@example.com").skipped == "Opted out before the batch."


def test_open_leads_campaign_is_sent_and_its_unsubscribe_link_works(
    client, postmark, django_capture_on_commit_callbacks
):
    lead = _lead("contacted", name="Robin Hale", email="robin@example.com", event_type="wedding")
    campaign = _campaign()
    with django_capture_on_commit_callbacks(execute=True):
        campaign_schedule(campaign_id=campaign.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()  # the batch, which queues the message after commit
    run_queued_tasks()  # the outbox send
    [email] = postmark.emails
    campaign.refresh_from_db()
    assert campaign.status == "sent"
    assert email["To"] == "robin@example.com" and email["Subject"] == "Hi Robin"
    assert email["TextBody"].startswith("Dear Robin Hale, your wedding is still open with us.")
    recipient = CampaignRecipient.objects.get()
    assert (recipient.lead, recipient.client) == (lead, None)
    assert OutboxMessage.objects.get().context == {"campaign_id": campaign.pk, "client_id": None, "lead_id": lead.pk}
    assert campaign_stats(campaign=campaign) == {
        "recipients": 1,
        "queued": 0,
        "sent": 1,
        "delivered": 0,
        "opened": 0,
        "clicked": 0,
        "failed": 0,
        "unsubscribed": 0,
    }

    link = re.search(r"Unsubscribe: (\S+)", email["TextBody"]).group(1)
    assert email["Headers"] and any(h["Name"] == "List-Unsubscribe" for h in email["Headers"])
    response = client.post(urlsplit(link).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert OptOut.objects.filter(channel="email", address="robin@example.com").exists()
    assert campaign_stats(campaign=campaign)["unsubscribed"] == 1
    assert segment_recipients(campaign=_campaign_again(campaign), now=timezone.now()) == {}


def _campaign_again(campaign: Campaign) -> Campaign:
    return Campaign.objects.create(name="Leads again", template=campaign.template, segment="open_leads")


def test_admin_offers_the_segment_and_lists_lead_recipients(client, owner):
    _lead(name="Robin Hale", email="robin@example.com")
    campaign = _campaign()
    now = timezone.now()
    _start(campaign, now)
    campaign_send_batch(campaign_id=campaign.pk, now=now)
    client.force_login(owner)
    form = client.get("/admin/comms/campaign/add/").content.decode()
    assert '<option value="open_leads">Open leads (new or contacted)</option>' in form
    change = client.get(f"/admin/comms/campaign/{campaign.pk}/change/").content.decode()
    assert f"/admin/comms/campaignrecipient/?campaign__id__exact={campaign.pk}" in change
    listing = client.get(f"/admin/comms/campaignrecipient/?campaign__id__exact={campaign.pk}").content.decode()
    assert "robin@example.com" in listing and "Robin Hale" in listing and "Queued" in listing
