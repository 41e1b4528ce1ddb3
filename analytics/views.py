"""Staff pages of analytics: survey results (/analytics/surveys/) and their CSV export. Thin views over
analytics/selectors.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from analytics.exports import survey_responses_csv
from analytics.forms import SurveyFilterForm
from analytics.selectors import survey_summary
from djbiz.permissions import staff_only


def _filter_form(request: HttpRequest) -> SurveyFilterForm:
    form = SurveyFilterForm(request.GET)
    form.is_valid()
    return form


@staff_only
@require_GET
def surveys(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    summary = survey_summary(filters=form.survey_filter())
    context = {
        "form": form,
        "summary": summary,
        "filtered": any(request.GET.get(name) for name in form.fields),
        "query": request.GET.urlencode(),
        "busiest_rating": max(summary.by_rating.values()) or 1,
    }
    return render(request, "analytics/surveys.html", context)


@staff_only
@require_GET
def surveys_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    survey_responses_csv(filters=_filter_form(request).survey_filter(), out=response)
    response["Content-Disposition"] = f'attachment; filename="survey-responses-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
