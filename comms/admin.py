"""Admin for the outbox (what went out, what failed, retry), provider events, opt-outs, message templates,
campaigns, sequences and surveys, leads and conversations."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join

from comms.models import (
    Campaign,
    CampaignRecipient,
    CampaignStatus,
    Channel,
    ChatPresence,
    Conversation,
    DeliveryEvent,
    Lead,
    Message,
    MessageTemplate,
    OptOut,
    OutboxMessage,
    Sequence,
    SequenceEnrollment,
    SequenceStep,
    SequenceStepRun,
    Survey,
)
from comms.services.campaigns import CampaignError, campaign_cancel, campaign_schedule, campaign_stats
from comms.services.outbox import message_mark_sent, message_retry
from comms.services.templates import TemplateRenderError, sample_context, template_render
from comms.sms_length import sms_length
from comms.status import OutboxStatus


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    fields = ("received_at", "provider", "event", "applied", "provider_message_id")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("to", "summary", "status", "channel", "purpose", "attempts", "created_at")
    list_filter = ("status", "channel", "purpose", "provider")
    search_fields = ("to", "subject", "body", "provider_id", "message_id_header", "=uuid")
    search_help_text = "Search by recipient, subject, text, provider id or Message-ID."
    date_hierarchy = "created_at"
    actions = ("retry", "mark_sent")
    inlines = (DeliveryEventInline,)
    fieldsets = (
        (
            None,
            {"fields": ("uuid", "status", "last_error", "channel", "purpose", "to", "from_address", "client", "event")},
        ),
        ("Content", {"fields": ("subject", "body", "html", "headers", "template", "context")}),
        (
            "Delivery",
            {
                "fields": (
                    ("attempts", "due_at", "enqueued_at", "claimed_at"),
                    ("provider", "provider_id", "message_id_header"),
                    ("respect_quiet_hours", "time_zone"),
                    ("sent_at", "delivered_at", "opened_at", "clicked_at"),
                    "idempotency_key",
                    ("created_at", "updated_at"),
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in OutboxMessage._meta.fields]

    @admin.display(description="Subject / text")
    def summary(self, message: OutboxMessage) -> str:
        return message.subject or truncatechars(message.body, 80)

    @admin.action(description="Retry the selected failed or under-review messages")
    def retry(self, request, queryset):
        ids = queryset.filter(status__in=(OutboxStatus.FAILED, OutboxStatus.REVIEW)).values_list("pk", flat=True)
        retried = sum(message_retry(message_id=pk) for pk in ids)
        skipped = queryset.count() - retried
        self.message_user(request, f"{retried} message(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} skipped: only failed or under-review messages can be retried.", messages.WARNING
            )

    @admin.action(description="Mark the selected under-review messages as sent (found in the provider's log)")
    def mark_sent(self, request, queryset):
        ids = queryset.filter(status=OutboxStatus.REVIEW).values_list("pk", flat=True)
        marked = sum(message_mark_sent(message_id=pk) for pk in ids)
        self.message_user(request, f"{marked} message(s) marked as sent.", messages.SUCCESS)


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "event", "applied", "provider_message_id", "message")
    list_filter = ("provider", "event", "applied")
    search_fields = ("provider_message_id", "message__to")
    list_select_related = ("message",)
    readonly_fields = (
        "provider",
        "provider_message_id",
        "event",
        "message",
        "occurred_at",
        "received_at",
        "applied",
        "payload",
    )


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("address", "channel", "source", "created_at")
    list_filter = ("channel", "source")
    search_fields = ("address",)
    search_help_text = "Search by e-mail address or phone number."
    fields = ("channel", "address", "source")

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Templates are edited here; the preview renders the saved version with sample data (save and continue
    editing to refresh it); the SMS counter under the text counts as you type."""

    list_display = ("name", "slug", "channel", "updated_at")
    list_filter = ("channel",)
    search_fields = ("name", "slug", "subject")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("preview", "sms_size")
    fieldsets = (
        (None, {"fields": ("name", "slug", "channel")}),
        ("E-mail", {"fields": ("subject", "html_body", "text_body")}),
        ("SMS", {"fields": ("sms_body", "sms_size")}),
        ("Preview with sample data", {"fields": ("preview",)}),
    )

    class Media:
        js = ("comms/sms_counter.js",)

    @admin.display(description="Saved SMS size")
    def sms_size(self, template: MessageTemplate) -> str:
        if template.pk is None or template.channel != Channel.SMS:
            return "—"
        try:
            text = template_render(template=template, context=sample_context()).text
        except TemplateRenderError as error:
            return str(error)
        size = sms_length(text)
        return f"{size.units} characters ({size.encoding}), {size.segments} segment(s) with the sample data."

    @admin.display(description="Preview")
    def preview(self, template: MessageTemplate) -> str:
        if template.pk is None:
            return "Save the template to see a preview."
        try:
            rendered = template_render(template=template, context=sample_context())
        except TemplateRenderError as error:
            return format_html('<p class="errornote">{}</p>', error)
        if rendered.channel == Channel.SMS:
            return format_html('<pre style="white-space:pre-wrap;max-width:40em">{}</pre>', rendered.text)
        return format_html(
            "<p><strong>Subject:</strong> {}</p>"
            '<iframe sandbox srcdoc="{}" title="HTML preview" style="width:640px;max-width:100%;height:420px;'
            'border:1px solid #ccc;background:#fff"></iframe>'
            '<details><summary>Plain text</summary><pre style="white-space:pre-wrap">{}</pre></details>',
            rendered.subject,
            escape(rendered.html or "<p>(no HTML body: the plain text is sent alone)</p>"),  # already "safe"
            rendered.text,
        )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Write a draft, then "Send now" or "Schedule" (at its scheduled time) from the list's actions; the stats
    come from the outbox rows of its messages."""

    list_display = ("name", "status", "segment", "event_type", "scheduled_at", "sent_count", "finished_at")
    list_filter = ("status", "segment")
    search_fields = ("name",)
    actions = ("send_now", "schedule", "cancel")
    fields = (
        "name",
        "template",
        "segment",
        "event_type",
        "scheduled_at",
        "status",
        "started_at",
        "finished_at",
        "stats",
    )
    readonly_fields = ("status", "started_at", "finished_at", "stats")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != CampaignStatus.DRAFT:
            return ("name", "template", "segment", "event_type", "scheduled_at", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description="Sent")
    def sent_count(self, campaign: Campaign) -> int:
        return campaign.recipients.exclude(message=None).count()

    @admin.display(description="Stats")
    def stats(self, campaign: Campaign) -> str:
        if campaign.pk is None:
            return "—"
        counts = campaign_stats(campaign=campaign)
        return format_html(
            '<table>{}</table><p><a href="{}?campaign__id__exact={}">Recipients</a></p>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", ((k.title(), v) for k, v in counts.items())),
            reverse("admin:comms_campaignrecipient_changelist"),
            campaign.pk,
        )

    def _schedule(self, request, queryset, *, now: bool):
        done = 0
        for campaign in queryset:
            try:
                campaign_schedule(campaign_id=campaign.pk, at=None if now else campaign.scheduled_at)
                done += 1
            except (CampaignError, ValidationError) as error:
                self.message_user(
                    request, f"{campaign}: {'; '.join(getattr(error, 'messages', [str(error)]))}", messages.ERROR
                )
        if done:
            self.message_user(
                request, f"{done} campaign(s) {'starting now' if now else 'scheduled'}.", messages.SUCCESS
            )

    @admin.action(description="Send the selected campaigns now")
    def send_now(self, request, queryset):
        self._schedule(request, queryset, now=True)

    @admin.action(description="Schedule the selected campaigns at their scheduled time")
    def schedule(self, request, queryset):
        self._schedule(request, queryset, now=False)

    @admin.action(description="Cancel the selected campaigns")
    def cancel(self, request, queryset):
        cancelled = sum(campaign_cancel(campaign_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"{cancelled} campaign(s) cancelled.", messages.SUCCESS)


@admin.register(CampaignRecipient)
class CampaignRecipientAdmin(ReadOnlyAdmin):
    """Who a campaign went to: a client or (open-leads segment) a lead, the outbox message or why none."""

    list_display = ("address", "campaign", "client", "lead", "message_status", "skipped")
    list_filter = ("campaign", ("lead", admin.EmptyFieldListFilter))
    list_select_related = ("campaign", "client", "lead", "message")
    search_fields = ("address", "client__name", "lead__name")

    @admin.display(description="Message")
    def message_status(self, recipient: CampaignRecipient) -> str:
        return recipient.message.get_status_display() if recipient.message else "—"


class SequenceStepInline(admin.TabularInline):
    model = SequenceStep
    fields = ("anchor", "offset_days", "template")
    extra = 1


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    """Follow-up sequences as data: the trigger (an event status, or payment_due started by billing) and the
    steps, each a template sent at an offset in days from the trigger or the event's start or end."""

    list_display = ("name", "trigger", "active", "step_count")
    list_filter = ("trigger", "active")
    inlines = (SequenceStepInline,)

    @admin.display(description="Steps")
    def step_count(self, sequence: Sequence) -> int:
        return sequence.steps.count()


class SequenceStepRunInline(admin.TabularInline):
    model = SequenceStepRun
    fields = ("created_at", "step", "message", "skipped")


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("__str__", "email", "phone", "event_date", "event_type", "guest_count", "status", "created_at")
    list_filter = ("status", "event_type", "source")
    search_fields = ("name", "email", "phone", "venue")


class MessageInline(admin.TabularInline):
    model = Message
    fields = ("received_at", "direction", "channel", "sender", "subject", "body", "intent", "reply_status", "read_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SequenceEnrollment)
class SequenceEnrollmentAdmin(ReadOnlyAdmin):
    list_display = ("event", "sequence", "started_at", "stopped_at", "stop_reason")
    list_filter = ("sequence", ("stopped_at", admin.EmptyFieldListFilter))
    list_select_related = ("event", "sequence")
    search_fields = ("event__title", "event__client__name")
    readonly_fields = ("sequence", "event", "started_at", "stopped_at", "stop_reason")
    inlines = (SequenceStepRunInline,)


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("event", "rating", "nps", "may_publish", "answered_at")
    list_filter = ("may_publish", "rating", ("answered_at", admin.EmptyFieldListFilter))
    search_fields = ("event__title", "event__client__name", "comments")
    list_select_related = ("event",)
    readonly_fields = ("event", "rating", "nps", "comments", "may_publish", "created_at", "answered_at")


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "event", "last_message_at")
    inlines = [MessageInline]


@admin.register(ChatPresence)
class ChatPresenceAdmin(ReadOnlyAdmin):
    """Open chat sockets (a row ages out CHAT_PRESENCE_TTL_SECONDS after its last heartbeat)."""

    list_display = ("client", "side", "seen_at")
    list_filter = ("side",)
    list_select_related = ("client",)
