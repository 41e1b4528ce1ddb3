"""The CSV export of survey responses: one row per answered survey, newest first, in the business's time zone.

A cell a client wrote (comments, names, titles) that starts with = + - @ or a tab would run as a formula when the
file is opened in a spreadsheet: such a cell gets a leading apostrophe (OWASP's CSV injection advice)."""

import csv
import zoneinfo
from typing import TextIO

from accounts.models import BusinessProfile
from analytics.selectors import SurveyFilter, nps_category, survey_responses

HEADER = [
    "answered_at",
    "event_date",
    "event",
    "event_type",
    "client",
    "rating",
    "nps",
    "nps_category",
    "may_publish",
    "comments",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def survey_responses_csv(*, filters: SurveyFilter, out: TextIO) -> None:
    """Write the CSV to `out` (a response: a business has hundreds or thousands of surveys, not millions)."""
    zone = zoneinfo.ZoneInfo(BusinessProfile.current().time_zone)
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for survey in survey_responses(filters=filters).iterator(chunk_size=500):
        event = survey.event
        writer.writerow(
            [
                survey.answered_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                event.date.isoformat(),
                _safe(event.title),
                event.get_event_type_display(),
                _safe(event.client.name),
                survey.rating,
                survey.nps,
                nps_category(survey.nps),
                "yes" if survey.may_publish else "no",
                _safe(survey.comments),
            ]
        )


def _safe(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text
