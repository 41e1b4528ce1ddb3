"""Survey results for analytics (the staff page /analytics/surveys/, its CSV export and the API).

A survey counts as sent once its link exists: comms makes an event's survey when the thank-you step carrying the
link is written. The date range and the months are the surveyed events' dates (the venue's calendar day), so a
month's response rate compares the answers with the surveys of the same events.

Net Promoter Score, the standard way: of the answers, % promoters (9–10) minus % detractors (0–6), passives (7–8)
count only in the total; an integer from -100 to 100, halves rounded away from zero (12.5 → 13, -12.5 → -13)."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from comms.models import Survey
from events.models import EventType

PROMOTER_MIN, DETRACTOR_MAX = 9, 6
RECENT_COMMENTS = 10


@dataclass(frozen=True)
class SurveyFilter:
    start: dt.date | None = None  # events on or after
    end: dt.date | None = None  # events on or before
    event_type: str = ""


@dataclass(frozen=True)
class SurveyFigures:
    sent: int
    answered: int
    response_rate: Decimal | None  # % of sent, one decimal
    average_rating: Decimal | None  # 1–5, two decimals
    nps: int | None
    promoters: int
    passives: int
    detractors: int


@dataclass(frozen=True)
class Group:
    key: str  # "2027-06" or an event type's value
    label: str  # "June 2027" or "Wedding"
    figures: SurveyFigures


@dataclass(frozen=True)
class Testimonial:
    """What may be published, as the survey promised the client: their first name and the type of event."""

    first_name: str
    event_type: str
    event_date: dt.date
    rating: int
    nps: int
    comments: str
    answered_at: dt.datetime


@dataclass(frozen=True)
class SurveySummary:
    overall: SurveyFigures
    by_rating: dict[int, int]  # stars -> answers, 5 down to 1
    by_month: list[Group]
    by_event_type: list[Group]
    testimonials: list[Testimonial]
    recent_comments: list[Survey]


_AGGREGATES = {
    "sent": Count("pk"),
    "answered": Count("pk", filter=Q(answered_at__isnull=False)),
    "rating_total": Sum("rating", filter=Q(answered_at__isnull=False)),
    "promoters": Count("pk", filter=Q(answered_at__isnull=False, nps__gte=PROMOTER_MIN)),
    "detractors": Count("pk", filter=Q(answered_at__isnull=False, nps__lte=DETRACTOR_MAX)),
}


def nps_score(*, promoters: int, detractors: int, answered: int) -> int | None:
    """The Net Promoter Score of `answered` answers; None without answers."""
    if not answered:
        return None
    return int(_half_up(Decimal(100 * (promoters - detractors)) / answered, "1"))


def nps_category(nps: int) -> str:
    if nps >= PROMOTER_MIN:
        return "promoter"
    return "detractor" if nps <= DETRACTOR_MAX else "passive"


def surveys_filtered(*, filters: SurveyFilter) -> QuerySet[Survey]:
    surveys = Survey.objects.all()
    if filters.start:
        surveys = surveys.filter(event__date__gte=filters.start)
    if filters.end:
        surveys = surveys.filter(event__date__lte=filters.end)
    if filters.event_type:
        surveys = surveys.filter(event__event_type=filters.event_type)
    return surveys


def survey_responses(*, filters: SurveyFilter) -> QuerySet[Survey]:
    """The answered surveys, newest answer first, with their event and client."""
    return (
        surveys_filtered(filters=filters)
        .exclude(answered_at=None)
        .select_related("event", "event__client")
        .order_by("-answered_at", "-pk")
    )


def survey_summary(*, filters: SurveyFilter) -> SurveySummary:
    surveys = surveys_filtered(filters=filters)
    answered = surveys.exclude(answered_at=None)
    ratings = dict(answered.values_list("rating").annotate(n=Count("pk")).order_by())
    months = surveys.annotate(month=TruncMonth("event__date")).values("month").annotate(**_AGGREGATES).order_by("month")
    types = surveys.values("event__event_type").annotate(**_AGGREGATES).order_by("event__event_type")
    responses = survey_responses(filters=filters).exclude(comments="")
    return SurveySummary(
        overall=_figures(surveys.aggregate(**_AGGREGATES)),
        by_rating={stars: ratings.get(stars, 0) for stars in range(5, 0, -1)},
        by_month=[
            Group(key=f"{row['month']:%Y-%m}", label=f"{row['month']:%B %Y}", figures=_figures(row)) for row in months
        ],
        by_event_type=[
            Group(
                key=row["event__event_type"],
                label=EventType(row["event__event_type"]).label,
                figures=_figures(row),
            )
            for row in types
        ],
        testimonials=[_testimonial(survey) for survey in responses.filter(may_publish=True)],
        recent_comments=list(responses[:RECENT_COMMENTS]),
    )


def _figures(row: dict) -> SurveyFigures:
    sent, answered = row["sent"], row["answered"]
    promoters, detractors = row["promoters"], row["detractors"]
    return SurveyFigures(
        sent=sent,
        answered=answered,
        response_rate=_half_up(Decimal(100 * answered) / sent, "0.1") if sent else None,
        average_rating=_half_up(Decimal(row["rating_total"]) / answered, "0.01") if answered else None,
        nps=nps_score(promoters=promoters, detractors=detractors, answered=answered),
        promoters=promoters,
        passives=answered - promoters - detractors,
        detractors=detractors,
    )


def _testimonial(survey: Survey) -> Testimonial:
    return Testimonial(
        first_name=(survey.event.client.name.split() or [""])[0],
        event_type=survey.event.get_event_type_display(),
        event_date=survey.event.date,
        rating=survey.rating,
        nps=survey.nps,
        comments=survey.comments,
        answered_at=survey.answered_at,
    )


def _half_up(value: Decimal, places: str) -> Decimal:
    """Rounded to `places` ("1", "0.1"), halves away from zero (Python's round() would round them to even)."""
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)
