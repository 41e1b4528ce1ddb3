"""The events API: thin views that read through the selectors and write through events.services."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from djbiz.api import IsBusiness
from events import services
from events.api.filters import ChecklistItemFilter, ClientFilter, EventFilter, TimelineItemFilter, VenueFilter
from events.api.permissions import BusinessOrReadOnly, EventVisible
from events.api.serializers import (
    ChecklistItemSerializer,
    ClientEventSerializer,
    ClientSerializer,
    ClientVenueSerializer,
    EventSerializer,
    MusicPlanSerializer,
    OwnClientSerializer,
    TimelineItemSerializer,
    VenueSerializer,
)
from events.models import ChecklistItem, Client, Event, TimelineItem, Venue
from events.selectors import (
    clients_visible_to,
    events_visible_to,
    timeline_of,
    venues_visible_to,
    with_client_editable,
)


def _schema_only(view) -> bool:
    """drf-spectacular inspects views with a fake, anonymous request and no URL arguments."""
    return getattr(view, "swagger_fake_view", False)


def _changed(instance, data: dict):
    for name, value in data.items():
        setattr(instance, name, value)
    return instance


class ByRoleSerializerMixin:
    """Staff get `serializer_class`; clients get `client_serializer_class`, which leaves out internal notes."""

    client_serializer_class = None

    def get_serializer_class(self):
        if _schema_only(self) or self.request.user.is_business:
            return self.serializer_class
        return self.client_serializer_class


class UuidViewSet(ByRoleSerializerMixin, viewsets.ModelViewSet):
    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    permission_classes = [IsAuthenticated, BusinessOrReadOnly]


class EventViewSet(UuidViewSet):
    """Staff: every event, full CRUD. Clients: their own events, read only."""

    serializer_class = EventSerializer
    client_serializer_class = ClientEventSerializer
    filterset_class = EventFilter
    search_fields = ["title", "client__name", "venue__name", "venue__city"]
    ordering_fields = ["starts_at", "date", "title", "status", "event_type", "price_cents", "created_at", "updated_at"]
    ordering = ["starts_at", "id"]

    def get_queryset(self):
        if _schema_only(self):
            return Event.objects.none()
        events = events_visible_to(self.request.user).select_related("client", "venue", "package")
        return with_client_editable(events)

    def perform_create(self, serializer):
        fields = {name: value for name, value in serializer.validated_data.items() if name != "version"}
        event = services.event_save(actor=self.request.user, event=Event(), fields=fields)
        serializer.instance = self.get_queryset().get(pk=event.pk)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        version = fields.pop("version")
        event = services.event_save(actor=self.request.user, event=serializer.instance, fields=fields, version=version)
        serializer.instance = self.get_queryset().get(pk=event.pk)

    def perform_destroy(self, instance):
        services.event_delete(actor=self.request.user, event=instance)


class ClientViewSet(UuidViewSet):
    """Staff: every client, full CRUD. A client: their own record, read only."""

    serializer_class = ClientSerializer
    client_serializer_class = OwnClientSerializer
    filterset_class = ClientFilter
    search_fields = ["name", "company", "email", "phone"]
    ordering_fields = ["name", "created_at", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        if _schema_only(self):
            return Client.objects.none()
        return clients_visible_to(self.request.user).prefetch_related("tags")

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        tags = fields.pop("tags", None)
        serializer.instance = services.client_save(actor=self.request.user, client=Client(), fields=fields, tags=tags)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        tags = fields.pop("tags", None)
        serializer.instance = services.client_save(
            actor=self.request.user, client=serializer.instance, fields=fields, tags=tags
        )

    def perform_destroy(self, instance):
        services.client_delete(actor=self.request.user, client=instance)


class VenueViewSet(UuidViewSet):
    """Staff: every venue, full CRUD. Clients: the venues of their events, read only."""

    serializer_class = VenueSerializer
    client_serializer_class = ClientVenueSerializer
    filterset_class = VenueFilter
    search_fields = ["name", "address", "city"]
    ordering_fields = ["name", "city", "created_at", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        if _schema_only(self):
            return Venue.objects.none()
        return venues_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.venue_save(
            actor=self.request.user, venue=Venue(), fields=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.venue_save(
            actor=self.request.user, venue=serializer.instance, fields=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.venue_delete(actor=self.request.user, venue=instance)


class EventScopedMixin:
    """Views under /events/{event_uuid}/: the parent event, among those the user may see (else 404)."""

    @cached_property
    def event(self) -> Event:
        return get_object_or_404(events_visible_to(self.request.user), uuid=self.kwargs["event_uuid"])


class TimelineItemViewSet(EventScopedMixin, viewsets.ModelViewSet):
    """Staff may always change the timeline; the event's client while the event is open for their edits
    (event.client_can_edit), else 403 not_editable."""

    serializer_class = TimelineItemSerializer
    permission_classes = [IsAuthenticated, EventVisible]
    lookup_value_converter = "int"
    filterset_class = TimelineItemFilter
    search_fields = ["title", "song", "notes"]
    ordering_fields = ["time", "position", "created_at", "updated_at"]
    ordering = ["time", "position", "id"]

    def get_queryset(self):
        if _schema_only(self):
            return TimelineItem.objects.none()
        return timeline_of(self.event)

    def perform_create(self, serializer):
        serializer.instance = services.timeline_item_save(
            actor=self.request.user, event=self.event, item=TimelineItem(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.timeline_item_save(
            actor=self.request.user, event=self.event, item=_changed(serializer.instance, serializer.validated_data)
        )

    def perform_destroy(self, instance):
        services.timeline_item_delete(actor=self.request.user, event=self.event, item=instance)


class ChecklistItemViewSet(EventScopedMixin, viewsets.ModelViewSet):
    """The event's packing list: staff only."""

    serializer_class = ChecklistItemSerializer
    permission_classes = [IsAuthenticated, EventVisible, IsBusiness]
    lookup_value_converter = "int"
    filterset_class = ChecklistItemFilter
    search_fields = ["label", "notes"]
    ordering_fields = ["label", "packed", "quantity", "created_at", "updated_at"]
    ordering = ["packed", "label", "id"]

    def get_queryset(self):
        if _schema_only(self):
            return ChecklistItem.objects.none()
        return self.event.checklist.select_related("equipment")

    def perform_create(self, serializer):
        serializer.instance = services.checklist_item_save(
            actor=self.request.user, event=self.event, item=ChecklistItem(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.checklist_item_save(
            actor=self.request.user, event=self.event, item=_changed(serializer.instance, serializer.validated_data)
        )

    def perform_destroy(self, instance):
        services.checklist_item_delete(actor=self.request.user, event=self.event, item=instance)


class MusicPlanView(EventScopedMixin, generics.GenericAPIView):
    """The event's music plan. Changing it follows the timeline's rule: staff always, the client while the
    event is open for their edits."""

    serializer_class = MusicPlanSerializer
    permission_classes = [IsAuthenticated, EventVisible]
    filter_backends = []
    pagination_class = None

    def get(self, request, event_uuid):
        return Response(self.get_serializer(services.music_plan_for(self.event)).data)

    @extend_schema(description="Replace the plan, including its whole song list.")
    def put(self, request, event_uuid):
        return self._update(request, partial=False)

    @extend_schema(description="Change some of the plan; `songs`, when sent, replaces the whole song list.")
    def patch(self, request, event_uuid):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool) -> Response:
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        songs = fields.pop("songs", None)
        plan = services.music_plan_update(actor=request.user, event=self.event, fields=fields, songs=songs)
        return Response(self.get_serializer(plan).data)
