"""The outbox: every e-mail and SMS the business sends is a row, sent by a django-q2 task (comms/services/outbox.py);
the provider's webhook events about it, stored once; and the opt-outs that keep marketing away from those who
said stop."""

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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


# --- templates, campaigns, automations --------------------------------------------------------------------------


class MessageTemplate(models.Model):
    """A message staff edit in the admin, in the Django template language, rendered by comms/services/templates.py
    with the recipient's context and the business's branding."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=100, unique=True, help_text="How code refers to the template.")
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    subject = models.CharField(max_length=255, blank=True, help_text="E-mail only.")
    html_body = models.TextField(blank=True, help_text="E-mail HTML, placed inside the branded layout.")
    text_body = models.TextField(blank=True, help_text="E-mail plain text (required for e-mail).")
    sms_body = models.TextField(blank=True, help_text="SMS text (required for SMS).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_channel_display()})"

    def clean(self) -> None:
        from comms.services.templates import template_errors

        errors = template_errors(self)
        if errors:
            raise ValidationError(errors)


class CampaignSegment(models.TextChoices):
    ALL_CLIENTS = "all_clients", "All clients"
    EVENT_TYPE = "event_type", "Clients by event type"
    PAST_CLIENTS = "past_clients", "Past clients (an event in the past)"
    OPEN_LEADS = "open_leads", "Open leads (new or contacted)"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"


class Campaign(models.Model):
    """An e-mail or SMS to a segment of clients or open leads, sent in throttled batches
    (comms/services/campaigns.py)."""

    name = models.CharField(max_length=150)
    template = models.ForeignKey(MessageTemplate, on_delete=models.PROTECT, related_name="campaigns")
    segment = models.CharField(max_length=20, choices=CampaignSegment.choices, default=CampaignSegment.ALL_CLIENTS)
    event_type = models.CharField(
        max_length=20,
        blank=True,
        choices=EventType.choices,
        help_text="Only clients with an event of this type (past clients too), or open leads asking about one.",
    )
    status = models.CharField(max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    next_batch_at = models.DateTimeField(
        null=True, blank=True, help_text="The next batch is not sent before (throttling; also its claim)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def channel(self) -> str:
        return self.template.channel

    def clean(self) -> None:
        if self.segment == CampaignSegment.EVENT_TYPE and not self.event_type:
            raise ValidationError({"event_type": "Choose the event type of this segment."})


class CampaignRecipient(models.Model):
    """One row per address a campaign goes to (a client's, or a lead's for the open-leads segment), made when the
    campaign starts sending; the unique constraint makes a recipient get one message per campaign however often
    the batch task runs."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    address = models.CharField(max_length=320)
    client = models.ForeignKey("events.Client", null=True, on_delete=models.SET_NULL, related_name="+")
    lead = models.ForeignKey("comms.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.OneToOneField(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaign_recipient"
    )
    skipped = models.CharField(max_length=200, blank=True, help_text="Why no message was queued.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "address"], name="comms_campaign_recipient_once")]

    def __str__(self) -> str:
        return self.address


class SequenceTrigger(models.TextChoices):
    """What starts a sequence on an event. The status triggers start when the event enters that status and stop
    when it leaves it; the others are started and stopped by the app that owns them through
    comms.services.automations.automation_start / automation_stop (billing: payment reminders)."""

    INQUIRY = "inquiry", "Event is an inquiry (unanswered)"
    QUOTED = "quoted", "Event is quoted (quote reminders)"
    BOOKED = "booked", "Event is booked (planning reminders)"
    COMPLETED = "completed", "Event is completed (thank-you, survey)"
    PAYMENT_DUE = "payment_due", "Payment due (started by billing)"


STATUS_TRIGGERS = (SequenceTrigger.INQUIRY, SequenceTrigger.QUOTED, SequenceTrigger.BOOKED, SequenceTrigger.COMPLETED)


class StepAnchor(models.TextChoices):
    TRIGGER = "trigger", "After the trigger (the status change)"
    EVENT_START = "event_start", "Relative to the event's start"
    EVENT_END = "event_end", "Relative to the event's end"


class Sequence(models.Model):
    """A follow-up sequence, as data: its steps are sent by the every-few-minutes run of
    comms/services/automations.py to each event enrolled in it."""

    name = models.CharField(max_length=120)
    trigger = models.CharField(max_length=20, choices=SequenceTrigger.choices)
    active = models.BooleanField(default=True, help_text="Inactive: no new enrollments and no steps sent.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SequenceStep(models.Model):
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    anchor = models.CharField(max_length=12, choices=StepAnchor.choices, default=StepAnchor.TRIGGER)
    offset_days = models.IntegerField(help_text="Days after the anchor; negative for before (T−30: -30).")
    template = models.ForeignKey(MessageTemplate, on_delete=models.PROTECT, related_name="sequence_steps")

    class Meta:
        ordering = ["sequence", "anchor", "offset_days"]

    def __str__(self) -> str:
        return f"{self.template.name} at {self.get_anchor_display().lower()} {self.offset_days:+d} d"


class SequenceEnrollment(models.Model):
    """An event in a sequence: from `started_at` until stopped (the event left the trigger's status, was
    cancelled, or the owning app stopped it)."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="enrollments")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sequence_enrollments")
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["sequence", "event"], name="comms_enrollment_once")]

    def __str__(self) -> str:
        return f"{self.event} in {self.sequence}"


class SequenceStepRun(models.Model):
    """A step done for one enrollment (sent or skipped): unique, so a step goes out once however often the run
    happens, and also after the sequence restarts."""

    enrollment = models.ForeignKey(SequenceEnrollment, on_delete=models.CASCADE, related_name="step_runs")
    step = models.ForeignKey(SequenceStep, on_delete=models.CASCADE, related_name="runs")
    message = models.ForeignKey(OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    skipped = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrollment", "step"], name="comms_step_run_once")]

    def __str__(self) -> str:
        return f"{self.step} for {self.enrollment.event}"


class Survey(models.Model):
    """Post-event feedback, answered once through a link holding `token` (comms/services/surveys.py)."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="survey")
    token = models.CharField(max_length=64, unique=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1–5 stars."
    )
    nps = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="How likely to recommend us, 0–10.",
    )
    comments = models.TextField(blank=True)
    may_publish = models.BooleanField(default=False, help_text="The client allows the comments as a testimonial.")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="comms_survey_rating_1_5"),
            models.CheckConstraint(condition=models.Q(nps__lte=10), name="comms_survey_nps_0_10"),
        ]

    def __str__(self) -> str:
        return f"Survey for {self.event}"


# --- conversations: every message with a client or lead, in any channel ----------------------------------------


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    WON = "won", "Won"
    LOST = "lost", "Lost"


# Leads still to be won: campaigns to "open leads" reach these (won leads are clients now, lost ones said no).
OPEN_LEAD_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED)


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
    CHAT = "chat", "Chat"  # the client portal's live chat (comms/services/chat.py)


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
    pending_media = models.JSONField(
        default=list,
        blank=True,
        help_text="MMS media still to fetch from Twilio (comms/services/mms.py): [{url, content_type}].",
    )
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
    # When the other side read it: staff for a received message, the client (in the portal chat) for a sent one.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"],
                condition=~models.Q(provider_message_id=""),
                name="comms_message_once_per_provider_id",
            )
        ]
        indexes = [
            models.Index(fields=["triage_status", "received_at"], name="comms_message_triage"),
            models.Index(
                fields=["conversation", "direction"], condition=models.Q(read_at=None), name="comms_message_unread"
            ),
        ]

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


class ChatSide(models.TextChoices):
    CLIENT = "client", "Client"
    STAFF = "staff", "Staff"


class ChatPresence(models.Model):
    """One open chat socket: the client's in the portal, or a staff member's on the client's thread. A socket
    refreshes `seen_at` while it lives and deletes its row when it closes; the row of a process that died ages
    out (settings.CHAT_PRESENCE_TTL_SECONDS). In the database, so every web and worker process sees it."""

    client = models.ForeignKey("events.Client", on_delete=models.CASCADE, related_name="chat_presences")
    side = models.CharField(max_length=6, choices=ChatSide.choices)
    connection = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["client", "side", "seen_at"], name="comms_chat_presence_seen")]

    def __str__(self) -> str:
        return f"{self.get_side_display()} on the chat of {self.client}"
