from django_filters import rest_framework as filters

from djbiz.api import UpdatedSinceFilterSet
from events.models import ChecklistItem, Client, Event, TimelineItem, Venue


class EventFilter(UpdatedSinceFilterSet):
    client = filters.UUIDFilter(field_name="client__uuid")
    venue = filters.UUIDFilter(field_name="venue__uuid")
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Event
        fields = ["status", "event_type"]


class ClientFilter(UpdatedSinceFilterSet):
    tag = filters.CharFilter(field_name="tags__name", help_text="A tag name; clients that carry it.")

    class Meta:
        model = Client
        fields = ["source"]


class VenueFilter(UpdatedSinceFilterSet):
    city = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Venue
        fields = ["setting"]


class TimelineItemFilter(UpdatedSinceFilterSet):
    class Meta:
        model = TimelineItem
        fields = ["kind"]


class ChecklistItemFilter(UpdatedSinceFilterSet):
    class Meta:
        model = ChecklistItem
        fields = ["packed"]
