"""Messages the business sent. The console backends record each one here, so nothing sent in development
or tests is lost; the comms issue grows this into the full outbox."""

from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class SentMessage(models.Model):
    channel = models.CharField(max_length=5, choices=Channel.choices)
    to = models.CharField(max_length=500)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    backend = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to}: {self.subject or self.body[:40]}"
