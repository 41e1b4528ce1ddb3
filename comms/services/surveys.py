"""Post-event surveys: one per event, reached by an unguessable link (the token is the only key: no login), answered
once. analytics/selectors.py reads the results."""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from comms.models import Survey
from djbiz.errors import DomainError
from events.models import Event


class SurveyError(DomainError):
    code = "invalid_survey"


def survey_for_event(*, event: Event) -> Survey:
    """The event's survey, made on first use."""
    try:
        with transaction.atomic():
            return Survey.objects.get_or_create(event=event, defaults={"token": secrets.token_urlsafe(24)})[0]
    except IntegrityError:
        return Survey.objects.get(event=event)


def survey_url(*, survey: Survey) -> str:
    return settings.SITE_URL + reverse("comms:survey", args=[survey.token])


def survey_answer(
    *, survey: Survey, rating: int, nps: int, comments: str, may_publish: bool, now: datetime | None = None
) -> Survey:
    """Record the answers once; a second submission (a double click, the back button) raises SurveyError."""
    if not (1 <= rating <= 5 and 0 <= nps <= 10):
        raise SurveyError("Rating must be 1–5 and the recommendation 0–10.")
    answered = Survey.objects.filter(pk=survey.pk, answered_at=None).update(
        rating=rating,
        nps=nps,
        comments=comments.strip()[:5000],
        may_publish=may_publish and bool(comments.strip()),
        answered_at=now or timezone.now(),
    )
    if not answered:
        raise SurveyError("This survey has already been answered. Thank you!")
    survey.refresh_from_db()
    return survey
