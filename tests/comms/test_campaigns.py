"""Campaigns: who is in a segment, opted-out recipients left out, throttled batches, a batch run twice sends
once, and the stats from the outbox rows; sent end to end through the fake Postmark."""

import datetime as dt

import pytest
from django.utils import timezone
from django_q.models import Schedule

from comms.models import Campaign, CampaignRecipient, MessageTemplate, OptOut, OutboxMessage
from comms.services.campaigns import (
    CampaignError,
    campaign_cancel,
    campaign_schedule,
    campaign_send_batch,
    campaign_stats,
    campaigns_start_due,
    segment_recipients,
)
from comms.services.consent import opt_out_record
from comms.services.delivery_events import delivery_event_record
from tests.comms.conftest import run_queued_tasks
from tests.factories import ClientFactory, EventFactory

pytestmark = pytest.mark.django_db


def _template(channel="email") -> MessageTemplate:
    return MessageTemplate.objects.create(
        name="Spring offer",
        slug=f"spring-{channel}",
        channel=channel,
        subject="Hi {{ client.first_name }}",
        text_body="Dear {{ client.name }}, book your next party with {{ business.name }}.",
        html_body="<p>Dear {{ client.name }}</p>",
        sms_body="Hi {{ client.first_name }}, 10% off spring parties!",
    )


def _campaign(channel="email", **fields) -> Campaign:
    return Campaign.objects.create(name="Spring", template=_template(channel), **fields)


def _event(client, *, days: int, event_type="wedding", status="booked"):
    event = EventFactory(client=client, event_type=event_type, date=timezone.localdate() + dt.timedelta(days=days))
    path = {"booked": ["booked"], "completed": ["booked", "completed"], "cancelled": ["cancelled"]}
    for step in path.get(status, []):
        event.status = step
        event.save()
    return event


def _start(campaign, now):
    campaign_schedule(campaign_id=campaign.pk, at=now)
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", started_at=now, next_batch_at=now)


# --- segments -------------------------------------------------------------------------------------------------


def test_segment_by_event_type_and_past_clients():
    now = timezone.now()
    past_wedding = ClientFactory(email="past-wedding@example.com")
    _event(past_wedding, days=-30, status="completed")
    future_wedding = ClientFactory(email="future-wedding@example.com")
    _event(future_wedding, days=30)
    past_corporate = ClientFactory(email="past-corp@example.com")
    _event(past_corporate, days=-10, event_type="corporate", status="completed")
    cancelled = ClientFactory(email="cancelled@example.com")
    _event(cancelled, days=-10, status="cancelled")
    ClientFactory(email="no-event@example.com")

    weddings = _campaign(segment="event_type", event_type="wedding")
    assert set(segment_recipients(campaign=weddings, now=now)) == {
        "past-wedding@example.com",
        "future-wedding@example.com",
    }
    past = Campaign(name="Past", template=weddings.template, segment="past_clients")
    assert set(segment_recipients(campaign=past, now=now)) == {"past-wedding@example.com", "past-corp@example.com"}
    past_weddings = Campaign(name="P", template=weddings.template, segment="past_clients", event_type="wedding")
    assert set(segment_recipients(campaign=past_weddings, now=now)) == {"past-wedding@example.com"}
    everyone = Campaign(name="All", template=weddings.template, segment="all_clients")
    assert len(segment_recipients(campaign=everyone, now=now)) == 5


def test_opted_out_missing_and_shared_addresses_are_left_out():
    ClientFactory(email="stays@example.com")
    ClientFactory(email="Gone@Example.com")
    ClientFactory(email="")
    ClientFactory(email="stays@example.com")  # a couple sharing one inbox gets one message
    opt_out_record(channel="email", address="gone@example.com", source="link")
    assert list(segment_recipients(campaign=_campaign(), now=timezone.now())) == ["stays@example.com"]


def test_sms_segment_uses_phone_numbers_in_international_form():
    ClientFactory(phone="+1 (555) 123-4567")
    ClientFactory(phone="555 1234")  # no country code: the outbox would refuse it
    ClientFactory(phone="+15559990000")
    opt_out_record(channel="sms", address="+15559990000", source="keyword")
    assert list(segment_recipients(campaign=_campaign("sms"), now=timezone.now())) == ["+15551234567"]


# --- sending --------------------------------------------------------------------------------------------------


def test_batches_are_throttled_and_a_batch_run_twice_sends_once(settings, django_capture_on_commit_callbacks):
    settings.CAMPAIGN_BATCH_SIZE = 2
    settings.CAMPAIGN_BATCH_PAUSE_SECONDS = 30
    for n in range(5):
        ClientFactory(email=f"c{n}@example.com")
    campaign = _campaign()
    now = timezone.now()
    _start(campaign, now)

    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_send_batch(campaign_id=campaign.pk, now=now) == 2
    assert CampaignRecipient.objects.filter(campaign=campaign).count() == 5  # resolved at send time
    assert OutboxMessage.objects.count() == 2
    [follow_up] = Schedule.objects.filter(func="comms.tasks.send_campaign_batch")
    assert follow_up.next_run == now + dt.timedelta(seconds=30)
    assert (follow_up.schedule_type, follow_up.repeats) == (Schedule.ONCE, -1)  # deleted once run

    # The same task again (a redelivery) and anything before the pause: nothing more goes out.
    assert campaign_send_batch(campaign_id=campaign.pk, now=now) is None
    assert campaign_send_batch(campaign_id=campaign.pk, now=now + dt.timedelta(seconds=29)) is None
    assert OutboxMessage.objects.count() == 2

    later = now + dt.timedelta(seconds=30)
    assert campaign_send_batch(campaign_id=campaign.pk, now=later) == 2
    assert campaign_send_batch(campaign_id=campaign.pk, now=later + dt.timedelta(seconds=30)) == 1
    campaign.refresh_from_db()
    assert campaign.status == "sent" and campaign.next_batch_at is None
    assert OutboxMessage.objects.count() == 5
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [f"c{n}@example.com" for n in range(5)]
    assert set(OutboxMessage.objects.values_list("purpose", flat=True)) == {"marketing"}
    assert campaign_send_batch(campaign_id=campaign.pk, now=later + dt.timedelta(hours=1)) is None


def test_a_batch_whose_claim_was_lost_queues_no_duplicate():
    """Two workers got the same batch (the claim expired while the first was slow): the outbox's idempotency
    key and the unique recipient row keep it to one message each."""
    ClientFactory(email="one@example.com")
    campaign = _campaign()
    now = timezone.now()
    _start(campaign, now)
    assert campaign_send_batch(campaign_id=campaign.pk, now=now) == 1
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", next_batch_at=now)
    CampaignRecipient.objects.update(message=None)  # as if the first worker died before recording it
    campaign_send_batch(campaign_id=campaign.pk, now=now)
    assert OutboxMessage.objects.count() == 1
    assert CampaignRecipient.objects.get().message == OutboxMessage.objects.get()


def test_someone_opting_out_mid_campaign_is_skipped(settings):
    settings.CAMPAIGN_BATCH_SIZE = 1
    ClientFactory(email="first@example.com")
    ClientFactory(email="second@example.com")
    campaign = _campaign()
    now = timezone.now()
    _start(campaign, now)
    campaign_send_batch(campaign_id=campaign.pk, now=now)
    opt_out_record(channel="email", address="second@example.com", source="link")
    campaign_send_batch(campaign_id=campaign.pk, now=now + dt.timedelta(minutes=5))
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["first@example.com"]
    assert CampaignRecipient.objects.get(address="second@example.com").skipped
    campaign.refresh_from_db()
    assert campaign.status == "sent"


def test_scheduled_campaign_starts_when_due_and_is_sent_through_the_outbox(
    postmark, django_capture_on_commit_callbacks
):
    ClientFactory(name="Alice Adams", email="alice@example.com")
    campaign = _campaign()
    at = timezone.now() + dt.timedelta(hours=2)
    campaign_schedule(campaign_id=campaign.pk, at=at)
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns_start_due(now=timezone.now()) == 0
    Campaign.objects.update(scheduled_at=timezone.now())  # two hours later
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns_start_due(now=timezone.now()) == 1
    campaign.refresh_from_db()
    assert campaign.status == "sending"
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()  # the batch, which queues the message after commit
    run_queued_tasks()  # the outbox send
    [email] = postmark.emails
    assert email["To"] == "alice@example.com" and email["Subject"] == "Hi Alice"
    assert "Dear Alice Adams" in email["TextBody"] and "Unsubscribe:" in email["TextBody"]
    campaign.refresh_from_db()
    assert campaign.status == "sent"
    with pytest.raises(CampaignError):
        campaign_schedule(campaign_id=campaign.pk)


# --- stats ----------------------------------------------------------------------------------------------------


def test_stats_come_from_the_outbox_rows():
    for n in range(6):
        ClientFactory(email=f"s{n}@example.com")
    campaign = _campaign()
    now = timezone.now()
    _start(campaign, now)
    campaign_send_batch(campaign_id=campaign.pk, now=now)
    messages = {m.to: m for m in OutboxMessage.objects.all()}
    OutboxMessage.objects.filter(pk=messages["s0@example.com"].pk).update(status="sent", provider_id="p0")
    for n in (1, 2, 3):
        OutboxMessage.objects.filter(pk=messages[f"s{n}@example.com"].pk).update(status="sent", provider_id=f"p{n}")
        delivery_event_record(provider="postmark", provider_message_id=f"p{n}", event="delivered", effect="delivered")
    delivery_event_record(provider="postmark", provider_message_id="p2", event="opened", effect="opened")
    delivery_event_record(provider="postmark", provider_message_id="p3", event="opened", effect="opened")
    delivery_event_record(provider="postmark", provider_message_id="p3", event="clicked", effect="clicked")
    OutboxMessage.objects.filter(pk=messages["s4@example.com"].pk).update(status="failed")
    opt_out_record(channel="email", address="s3@example.com", source="one_click")
    OptOut.objects.create(channel="email", address="someone-else@example.com")
    assert campaign_stats(campaign=Campaign.objects.get()) == {
        "recipients": 6,
        "queued": 1,
        "sent": 4,
        "delivered": 3,
        "opened": 2,
        "clicked": 1,
        "failed": 1,
        "unsubscribed": 1,
    }


# --- admin ----------------------------------------------------------------------------------------------------


def test_admin_send_now_starts_the_campaign_and_shows_stats(client, owner, django_capture_on_commit_callbacks):
    ClientFactory(email="a@example.com")
    campaign = _campaign()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/comms/campaign/", {"action": "send_now", "_selected_action": [campaign.pk]}, follow=True
        )
    assert "1 campaign(s) starting now." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "sending"
    run_queued_tasks()
    page = client.get(f"/admin/comms/campaign/{campaign.pk}/change/").content.decode()
    assert "<th>Recipients</th><td>1</td>" in page and "<th>Queued</th><td>1</td>" in page


def test_admin_refuses_an_event_type_segment_without_a_type(client, owner):
    campaign = _campaign(segment="event_type")
    client.force_login(owner)
    response = client.post(
        "/admin/comms/campaign/", {"action": "send_now", "_selected_action": [campaign.pk]}, follow=True
    )
    assert "Choose the event type" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_a_template_that_fails_to_render_cannot_be_scheduled():
    campaign = _campaign()
    MessageTemplate.objects.filter(pk=campaign.template_id).update(text_body="{% if %}")
    with pytest.raises(CampaignError, match="could not be rendered"):
        campaign_schedule(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_a_cancelled_campaign_sends_no_further_batch(settings):
    settings.CAMPAIGN_BATCH_SIZE = 1
    ClientFactory(email="first@example.com")
    ClientFactory(email="second@example.com")
    campaign = _campaign()
    now = timezone.now()
    _start(campaign, now)
    campaign_send_batch(campaign_id=campaign.pk, now=now)
    assert campaign_cancel(campaign_id=campaign.pk)
    assert campaign_send_batch(campaign_id=campaign.pk, now=now + dt.timedelta(hours=1)) is None
    assert OutboxMessage.objects.count() == 1
    assert not campaign_cancel(campaign_id=campaign.pk)
