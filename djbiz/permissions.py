"""Who may see a page, for the server-rendered pages of every app."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def staff_only(view):
    """Log-in required; the page is for the owner and staff DJs (a 404 for anyone else, clients included)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_business:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
