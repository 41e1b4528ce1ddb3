from django.utils.functional import SimpleLazyObject

from accounts.models import BusinessProfile


def business(request):
    """The business profile for every template (name and logo in the header), read only when used."""
    return {"business": SimpleLazyObject(BusinessProfile.current)}
