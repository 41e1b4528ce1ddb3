"""A known set of surveys for the analytics tests (and the screenshots), with figures worked out by hand."""

import datetime as dt

import pytest
from django.utils import timezone

from comms.models import Survey
from comms.services.surveys import survey_answer, survey_for_event
from tests.factories import ClientFactory, EventFactory

JUNE, JULY = dt.date(2026, 6, 13), dt.date(2026, 7, 18)


def surveyed(*, date, event_type="wedding", client="Sam Rivera", answer=None, answered_at=None) -> Survey:
    """A survey sent for an event on `date`; answered when `answer` is (rating, nps, comments, may_publish)."""
    event = EventFactory(date=date, event_type=event_type, client=ClientFactory(name=client))
    survey = survey_for_event(event=event)
    if answer is not None:
        rating, nps, comments, may_publish = answer
        survey_answer(
            survey=survey,
            rating=rating,
            nps=nps,
            comments=comments,
            may_publish=may_publish,
            now=answered_at or timezone.make_aware(dt.datetime.combine(date + dt.timedelta(days=2), dt.time(10))),
        )
    return survey


@pytest.fixture
def surveys(db):
    return make_surveys()


def make_surveys() -> list[Survey]:
    """Ten surveys sent, eight answered.

    June, weddings (4 sent, 4 answered): nps 10, 10, 9, 7; ratings 5, 5, 5, 4
    July, weddings (2 sent, 1 answered): nps 9; rating 4
    July, corporate (4 sent, 3 answered): nps 8, 5, 0; ratings 3, 2, 1

    Overall: promoters 4 (10, 10, 9, 9), passives 2 (8, 7), detractors 2 (5, 0) of 8 -> NPS 100 * 2 / 8 = 25;
    ratings 29 / 8 = 3.625 -> 3.63; response rate 8 / 10 = 80.0 %.
    June: 3 promoters, 1 passive of 4 -> 75; ratings 19 / 4 = 4.75; 100.0 %.
    July: 1 promoter, 1 passive, 2 detractors of 4 -> -25; ratings 10 / 4 = 2.5; 4 / 6 = 66.7 %.
    Weddings: 4 promoters, 1 passive of 5 -> 80; 23 / 5 = 4.6; 5 / 6 = 83.3 %.
    Corporate: 0 promoters, 1 passive, 2 detractors of 3 -> -66.67 -> -67; 6 / 3 = 2.0; 3 / 4 = 75.0 %.
    """
    return [
        surveyed(date=JUNE, client="Sam Rivera", answer=(5, 10, "Best night ever!", True)),
        surveyed(date=JUNE, client="Priya Shah", answer=(5, 10, "Danced all night. Thank you!", True)),
        surveyed(date=JUNE, client="Lee Chan", answer=(5, 9, "", False)),
        surveyed(date=JUNE + dt.timedelta(days=7), client="Ana Ruiz", answer=(4, 7, "Good, a bit loud.", False)),
        surveyed(date=JULY, client="Tom Hill", answer=(4, 9, "Great music", True)),
        surveyed(date=JULY, client="Kim Park"),
        surveyed(date=JULY, event_type="corporate", client="Acme Corp", answer=(3, 8, "", False)),
        surveyed(date=JULY, event_type="corporate", client="Globex", answer=(2, 5, "Started late.", False)),
        surveyed(date=JULY, event_type="corporate", client="Initech", answer=(1, 0, "Never again", False)),
        surveyed(date=JULY, event_type="corporate", client="Umbrella"),
    ]
