"""Who may see what: every page, API view and command reads events, clients and venues through these."""

from django.db.models import QuerySet

from accounts.models import User
from events.models import Client, Event, Venue


def events_visible_to(user: User) -> QuerySet[Event]:
    """Staff see every event of the business; a client only their own; anyone else nothing."""
    if not user.is_authenticated or not user.is_active:
        return Event.objects.none()
    if user.is_business:
        return Event.objects.all()
    return Event.objects.filter(client__user=user)


def clients_visible_to(user: User) -> QuerySet[Client]:
    if not user.is_authenticated or not user.is_active:
        return Client.objects.none()
    if user.is_business:
        return Client.objects.all()
    return Client.objects.filter(user=user)


def venues_visible_to(user: User) -> QuerySet[Venue]:
    if not user.is_authenticated or not user.is_active:
        return Venue.objects.none()
    if user.is_business:
        return Venue.objects.all()
    return Venue.objects.filter(events__client__user=user).distinct()
