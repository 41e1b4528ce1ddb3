"""Log-in pages for clients and staff: password or one-time e-mail link."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import MagicLinkForm, PasswordLoginForm
from accounts.throttle import TooManyAttempts, client_ip
from djbiz.errors import DomainError


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@require_http_methods(["GET", "POST"])
def login_view(request):
    password_form = PasswordLoginForm(request.POST if request.POST.get("method") == "password" else None)
    magic_form = MagicLinkForm(request.POST if request.POST.get("method") == "magic" else None)
    status = 200
    if request.method == "POST":
        form = password_form if request.POST.get("method") == "password" else magic_form
        if form.is_valid():
            try:
                if form is password_form:
                    user = services.login_check_password(request=request, ip=client_ip(request), **form.cleaned_data)
                    login(request, user)
                    return redirect(_next_url(request))
                services.magic_link_send(ip=client_ip(request), email=form.cleaned_data["email"])
                messages.success(request, "If that address has an account, a login link is on its way.")
                return redirect(reverse("accounts:login"))
            except DomainError as error:
                form.add_error(None, error.message)
                status = 429 if isinstance(error, TooManyAttempts) else 400
        else:
            status = 400
    context = {"password_form": password_form, "magic_form": magic_form, "next": _next_url(request)}
    return render(request, "accounts/login.html", context, status=status)


@require_http_methods(["GET", "POST"])
def magic_link_view(request, token: str):
    """GET shows a button; only the POST logs in, so mail scanners that open links do not use them up."""
    try:
        user = services.magic_link_user(token)
    except DomainError as error:
        return render(request, "accounts/magic_link.html", {"error": error.message}, status=400)
    if request.method == "POST":
        login(request, user)
        return redirect("home")
    return render(request, "accounts/magic_link.html", {"user_for_link": user})
