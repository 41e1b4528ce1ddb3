"""Post-event surveys: the thank-you step carries the survey link, the tokenized page takes rating, NPS,
comments and the testimonial permission once (the results: tests/analytics/)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from comms.models import MessageTemplate, OutboxMessage, Sequence, SequenceEnrollment, SequenceStep, Survey
from comms.services.automations import automations_run_due
from comms.services.surveys import SurveyError, survey_answer, survey_for_event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _answer(survey, rating=5, nps=10, comments="", may_publish=False):
    return survey_answer(survey=survey, rating=rating, nps=nps, comments=comments, may_publish=may_publish)


def test_the_day_after_the_event_the_client_gets_a_survey_link_that_works(client, django_capture_on_commit_callbacks):
    template = MessageTemplate.objects.create(
        name="Survey", slug="survey", channel="email", subject="How was it?", text_body="Tell us: {{ survey_url }}"
    )
    sequence = Sequence.objects.create(name="After", trigger="completed")
    SequenceStep.objects.create(sequence=sequence, anchor="event_end", offset_days=1, template=template)
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(title="Gala", date=timezone.localdate() - dt.timedelta(days=2))
        for status in ("booked", "completed"):
            event.status = status
            event.save()
    SequenceEnrollment.objects.update(started_at=event.ends_at)
    automations_run_due(now=event.ends_at + dt.timedelta(days=1))
    link = re.search(r"https?://\S+", OutboxMessage.objects.get().body).group()
    path = "/" + link.split("/", 3)[3]
    assert path == f"/survey/{Survey.objects.get(event=event).token}/"

    page = client.get(path)
    assert page.status_code == 200 and "Gala" in page.content.decode()
    response = client.post(path, {"rating": "4", "nps": "9", "comments": "Great DJ!", "may_publish": "on"})
    assert "Thank you!" in response.content.decode()
    survey = Survey.objects.get()
    assert (survey.rating, survey.nps, survey.comments, survey.may_publish) == (4, 9, "Great DJ!", True)
    assert survey.answered_at is not None
    # Answered once: a second post changes nothing.
    client.post(path, {"rating": "1", "nps": "0"})
    survey.refresh_from_db()
    assert survey.rating == 4


def test_bad_answers_are_form_errors_and_an_unknown_token_is_404(client):
    survey = survey_for_event(event=EventFactory())
    response = client.post(f"/survey/{survey.token}/", {"rating": "6", "nps": "11"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None
    assert client.get("/survey/not-a-token/").status_code == 404


def test_answered_once_and_permission_needs_comments():
    survey = survey_for_event(event=EventFactory())
    assert survey_for_event(event=survey.event) == survey
    assert _answer(survey, comments="", may_publish=True).may_publish is False
    with pytest.raises(SurveyError):
        _answer(survey)
