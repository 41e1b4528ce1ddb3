"""The front door and the friendly error pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import requires_csrf_token


@login_required
def home(request):
    """Staff work in the admin; clients land in their portal."""
    if request.user.is_business:
        return redirect("admin:index")
    return redirect("events:portal")


def admin_login_redirect(request):
    target = reverse("accounts:login")
    if request.GET.get("next"):
        target += "?" + urlencode({"next": request.GET["next"]})
    return redirect(target)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No database or template context processors here: the error may be the database itself.
    return render(request, "errors/500.html", {"business": None}, status=500)
