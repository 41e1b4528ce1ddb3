"""Public pages reached from our messages: the post-event survey, and the unsubscribe page behind the link in
every marketing e-mail (and its List-Unsubscribe header).

GET shows a confirmation button and changes nothing (mail scanners follow links); POST opts out. A mail
client's one-click unsubscribe (RFC 8058) POSTs `List-Unsubscribe=One-Click` to the same URL without a CSRF
token, so the view is CSRF-exempt: the signed token in the URL is what authorizes it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from comms.forms import SurveyForm
from comms.models import OptOutSource, Survey
from comms.services.consent import BadUnsubscribeLink, opt_out_record, opted_out, unsubscribe_address
from comms.services.surveys import SurveyError, survey_answer


def _masked(address: str) -> str:
    name, at, domain = address.partition("@")
    return f"{name[:2]}{'•' * max(len(name) - 2, 1)}{at}{domain}" if at else f"{'•' * (len(address) - 4)}{address[-4:]}"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        channel, address = unsubscribe_address(token)
    except BadUnsubscribeLink as error:
        return render(request, "comms/unsubscribe.html", {"error": str(error)}, status=404)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        opt_out_record(
            channel=channel, address=address, source=OptOutSource.ONE_CLICK if one_click else OptOutSource.LINK
        )
        if one_click:
            return HttpResponse("Unsubscribed.", content_type="text/plain")
    context = {"address": _masked(address), "done": opted_out(channel=channel, address=address)}
    return render(request, "comms/unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The post-event survey; the token in the link is the only key (no login), answered once."""
    survey = get_object_or_404(Survey.objects.select_related("event"), token=token)
    if survey.answered_at is not None:
        return render(request, "comms/survey.html", {"survey": survey, "done": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(survey=survey, **form.cleaned_data)
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "comms/survey.html", {"survey": survey, "done": True})
    return render(request, "comms/survey.html", {"survey": survey, "form": form}, status=400 if form.errors else 200)
