"""The outbox: every e-mail and SMS the business sends is a row, sent by a django-q2 task (comms/services/outbox.py);
the provider's webhook events about it, stored once; and the opt-outs that keep marketing away from those who
said stop."""

import re
import uuid

from django.db import models

from comms.status import OutboxStatus
from events.models import EventType


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class Purpose(models.TextChoices):
    """Transactional messages (login links, booking confirmations, replies) always go; marketing messages
    (campaigns, automations) never reach a recipient who opted out."""

    TRANSACTIONAL = "transactional", "Transactional"
    MARKETING = "marketing", "Marketing"


def normalize_address(channel: str, address: str) -> str:
    """The one spelling of an address we store and compare: e-mail lower-cased, phone number as + and digits."""
    address = address.strip()
    if channel == Channel.EMAIL:
        return address.lower()
    return ("+" if address.startswith("+") else "") + re.sub(r"\D", "", address)


class OutboxMessage(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    purpose = models.CharField(max_length=13, choices=Purpose.choices, default=Purpose.TRANSACTIONAL)
    to = models.CharField(max_length=320, db_index=True)
    from_address = models.CharField(max_length=320, blank=True, help_text="Empty: the default sender.")
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(help_text="Plain text (e-mail) or the SMS text.")
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="Extra e-mail headers (Reply-To, In-Reply-To…).")
    template = models.CharField(max_length=100, blank=True, help_text="The template the text was rendered from.")
    context = models.JSONField(default=dict, blank=True, help_text="What the template was rendered with.")
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    due_at = models.DateTimeField(help_text="Not sent before (retry backoff, quiet hours, a scheduled send).")
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="Last handed to the worker queue.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="A worker took it to send (status sending).")
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    respect_quiet_hours = models.BooleanField(default=True, help_text="SMS only: wait for the recipient's morning.")
    time_zone = models.CharField(max_length=64, blank=True, help_text="The recipient's, for quiet hours.")
    provider = models.CharField(max_length=20, blank=True)
    provider_id = models.CharField(max_length=255, blank=True, db_index=True, help_text="The provider's message id.")
    message_id_header = models.CharField(max_length=255, blank=True, help_text="E-mail Message-ID we set.")
    client = models.ForeignKey(
        "events.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="comms_outbox_status_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to}: {self.subject or self.body[:40]}"


class DeliveryEvent(models.Model):
    """A provider's webhook event, stored by (provider, provider message id, event) before it is handled: a
    replayed or repeated delivery is a no-op (Twilio's signatures carry no timestamp, so a replay verifies)."""

    provider = models.CharField(max_length=20)
    provider_message_id = models.CharField(max_length=255)
    event = models.CharField(max_length=30)
    message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="delivery_events"
    )
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    applied = models.BooleanField(default=False, help_text="It changed the message (false: late or unknown).")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id", "event"], name="comms_delivery_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event} {self.provider_message_id}"


class OptOutSource(models.TextChoices):
    LINK = "link", "Unsubscribe link"
    ONE_CLICK = "one_click", "One-click unsubscribe (mail client)"
    KEYWORD = "keyword", "SMS keyword (STOP)"
    PROVIDER = "provider", "Provider report (complaint, unsubscribe, carrier block)"
    STAFF = "staff", "Staff"


class OptOut(models.Model):
    """This address or number receives no marketing (campaigns, automations) until it opts in again."""

    channel = models.CharField(max_length=5, choices=Channel.choices)
    address = models.CharField(max_length=320, help_text="E-mail address or phone number (+ and digits).")
    source = models.CharField(max_length=10, choices=OptOutSource.choices, default=OptOutSource.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="comms_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address}"

    def save(self, *args, **kwargs):
        self.address = normalize_address(self.channel, self.address)
        super().save(*args, **kwargs)


# --- conversations: every message with a client or lead, in any channel ----------------------------------------


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class Lead(models.Model):
    """Someone who wrote to the business and is no client yet; the event's facts come from comms.triage."""

    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=32, blank=True, db_index=True, help_text="+ and digits.")
    event_date = models.DateField(null=True, blank=True)
    event_type = models.CharField(max_length=20, choices=EventType.choices, blank=True)
    guest_count = models.PositiveIntegerField(null=True, blank=True)
    venue = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=10, choices=LeadStatus.choices, default=LeadStatus.NEW, db_index=True)
    source = models.CharField(max_length=10, default="email", help_text="The channel of the first message.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name or self.email or self.phone


class Conversation(models.Model):
    """One thread per client (or lead), optionally tied to one of the client's events."""

    client = models.ForeignKey(
        "events.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="conversations"
    )
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.CASCADE, related_name="conversations")
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_message_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client__isnull=False, lead__isnull=True)
                | models.Q(client__isnull=True, lead__isnull=False),
                name="comms_conversation_client_or_lead",
            )
        ]

    def __str__(self) -> str:
        return f"Conversation with {self.client or self.lead}"

    @property
    def party(self):
        return self.client or self.lead


class MessageChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"
    PORTAL = "portal", "Portal"


class Direction(models.TextChoices):
    IN = "in", "Received"
    OUT = "out", "Sent"


class TriageStatus(models.TextChoices):
    """Of an inbound message: `new` waits for the every-minute task, which claims it (`working`) first."""

    NEW = "new", "Not triaged"
    WORKING = "working", "Being triaged"
    DONE = "done", "Triaged"
    NONE = "none", "Not applicable"  # outgoing messages


class ReplyStatus(models.TextChoices):
    OPEN = "open", "Awaiting a reply"
    REPLIED = "replied", "Replied"
    DISMISSED = "dismissed", "Dismissed"
    NONE = "none", "Not applicable"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    channel = models.CharField(max_length=6, choices=MessageChannel.choices)
    sender = models.CharField(max_length=320, help_text="The address or number it came from (ours when sent).")
    sender_name = models.CharField(max_length=150, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    received_at = models.DateTimeField(db_index=True)
    provider = models.CharField(max_length=20, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    message_id_header = models.CharField(max_length=255, blank=True, help_text="An e-mail's Message-ID (threading).")
    outbox = models.OneToOneField(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversation_message"
    )
    in_reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    refused_attachments = models.JSONField(default=list, blank=True, help_text="[{filename, reason}]")
    # Triage (inbound only), filled by the every-minute task (comms/services/drafts.py).
    triage_status = models.CharField(max_length=7, choices=TriageStatus.choices, default=TriageStatus.NEW)
    triage_claimed_at = models.DateTimeField(null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    intent = models.CharField(max_length=20, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    urgency = models.CharField(max_length=10, blank=True)
    extracted = models.JSONField(default=dict, blank=True, help_text="event_date, event_type, guest_count, venue")
    draft = models.TextField(blank=True)
    draft_polished = models.BooleanField(default=False, help_text="The LLM provider rewrote the template draft.")
    reply_status = models.CharField(max_length=9, choices=ReplyStatus.choices, default=ReplyStatus.OPEN)

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"],
                condition=~models.Q(provider_message_id=""),
                name="comms_message_once_per_provider_id",
            )
        ]
        indexes = [models.Index(fields=["triage_status", "received_at"], name="comms_message_triage")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_channel_display()} {self.sender}: {self.body[:40]}"

    @property
    def intent_label(self) -> str:
        return self.intent.replace("_", " ").capitalize()


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="inbound/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.filename
