"""Survey results: response rate, average rating and NPS worked out exactly, by month and event type, the filters,
the testimonials (first name and event type only) and the recent comments."""

import datetime as dt
from decimal import Decimal

import pytest

from analytics.selectors import SurveyFigures, SurveyFilter, nps_category, nps_score, survey_summary
from tests.analytics.conftest import JULY, JUNE, surveyed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("promoters", "detractors", "answered", "score"),
    [
        (4, 2, 8, 25),  # 50 % - 25 %
        (1, 0, 8, 13),  # 12.5: halves away from zero, not to even (round() would say 12)
        (0, 1, 8, -13),  # -12.5
        (2, 0, 3, 67),  # 66.67
        (0, 2, 3, -67),
        (1, 1, 3, 0),  # a promoter and a detractor cancel out, the passive only counts in the total
        (0, 0, 5, 0),  # all passives
        (7, 0, 7, 100),
        (0, 7, 7, -100),
        (0, 0, 0, None),  # no answers, no score
    ],
)
def test_nps_is_percent_promoters_minus_percent_detractors(promoters, detractors, answered, score):
    assert nps_score(promoters=promoters, detractors=detractors, answered=answered) == score


def test_nps_categories_are_9_10_promoters_7_8_passives_0_6_detractors():
    assert [nps_category(n) for n in range(11)] == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2


def test_summary_figures(surveys):
    summary = survey_summary(filters=SurveyFilter())
    assert summary.overall == SurveyFigures(
        sent=10,
        answered=8,
        response_rate=Decimal("80.0"),
        average_rating=Decimal("3.63"),  # 29 / 8 = 3.625
        nps=25,
        promoters=4,
        passives=2,
        detractors=2,
    )
    assert summary.by_rating == {5: 3, 4: 2, 3: 1, 2: 1, 1: 1}
    assert [(g.key, g.label, g.figures) for g in summary.by_month] == [
        ("2026-06", "June 2026", SurveyFigures(4, 4, Decimal("100.0"), Decimal("4.75"), 75, 3, 1, 0)),
        ("2026-07", "July 2026", SurveyFigures(6, 4, Decimal("66.7"), Decimal("2.50"), -25, 1, 1, 2)),
    ]
    assert [(g.key, g.label, g.figures) for g in summary.by_event_type] == [
        ("corporate", "Corporate", SurveyFigures(4, 3, Decimal("75.0"), Decimal("2.00"), -67, 0, 1, 2)),
        ("wedding", "Wedding", SurveyFigures(6, 5, Decimal("83.3"), Decimal("4.60"), 80, 4, 1, 0)),
    ]


def test_testimonials_are_the_publishable_comments_with_first_name_and_event_type(surveys):
    summary = survey_summary(filters=SurveyFilter())
    assert [(t.first_name, t.event_type, t.event_date, t.comments) for t in summary.testimonials] == [
        ("Tom", "Wedding", JULY, "Great music"),  # newest answer first
        ("Priya", "Wedding", JUNE, "Danced all night. Thank you!"),  # answered at the same time: newest survey first
        ("Sam", "Wedding", JUNE, "Best night ever!"),
    ]


def test_recent_comments_are_the_newest_ten_with_text(surveys):
    for day in range(12):
        surveyed(date=dt.date(2026, 8, 1 + day), answer=(5, 10, f"Comment {day}", False))
    comments = survey_summary(filters=SurveyFilter()).recent_comments
    assert [survey.comments for survey in comments] == [f"Comment {day}" for day in range(11, 1, -1)]


def test_filters_narrow_every_figure(surveys):
    july_corporate = survey_summary(
        filters=SurveyFilter(start=JULY, end=JULY, event_type="corporate"),
    )
    assert july_corporate.overall == SurveyFigures(4, 3, Decimal("75.0"), Decimal("2.00"), -67, 0, 1, 2)
    assert [g.key for g in july_corporate.by_month] == ["2026-07"]
    assert [g.key for g in july_corporate.by_event_type] == ["corporate"]
    assert july_corporate.testimonials == []
    assert [s.comments for s in july_corporate.recent_comments] == ["Never again", "Started late."]

    # The range is inclusive and by the event's date: the second June wedding (the 20th) is out.
    first_june_week = survey_summary(filters=SurveyFilter(start=JUNE, end=JUNE + dt.timedelta(days=6)))
    assert (first_june_week.overall.sent, first_june_week.overall.nps) == (3, 100)


def test_nothing_sent_gives_no_rates(db):
    surveyed(date=JUNE)
    empty = survey_summary(filters=SurveyFilter(event_type="club"))
    assert empty.overall == SurveyFigures(0, 0, None, None, None, 0, 0, 0)
    assert empty.by_rating == {5: 0, 4: 0, 3: 0, 2: 0, 1: 0} and empty.by_month == []
    unanswered = survey_summary(filters=SurveyFilter()).overall
    assert (unanswered.sent, unanswered.response_rate, unanswered.average_rating, unanswered.nps) == (
        1,
        Decimal("0.0"),
        None,
        None,
    )
