"""Guest API of the live night (contract in issue 4: queue, requests, votes) and the DJ's actions on it.

Guests are anonymous and identified by events.guests: the signed token in the `djbiz_guest` cookie (the
page) or the `X-Guest-Id` header (the app); a caller with neither gets a new guest id, returned in both.

CSRF. The guest cookie is a credential the browser sends by itself, so a request that relies on it must
prove it comes from our page: it carries Django's CSRF token (the `csrftoken` cookie, which the queue GET
sets, echoed in `X-CSRFToken`). A request that names its guest in the X-Guest-Id header is exempt: another
site cannot make a browser send a custom header without a CORS preflight we never grant, and the app has no
CSRF cookie to send. A request with neither has nothing to abuse (it is a new guest). Staff endpoints use
the project's authentication: a token (the app, no CSRF) or the session (with CSRF, as DRF does).

Throttling. GUEST_RATE per guest, on every guest endpoint. Per IP only for callers without a valid guest
token, i.e. each call that mints a new identity: that stops a client from dodging the per-guest rate by
dropping its token, while a hundred guests behind the venue's one Wi-Fi address are not throttled as one."""

from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.throttle import client_ip
from djbiz.api import IsBusiness
from events import guests, hot_reads, services
from events.api.live_serializers import (
    AnnouncementSerializer,
    GuestSongRequestListSerializer,
    LibrarySearchSerializer,
    LiveSettingsSerializer,
    RequestStatusSerializer,
    SongRequestCreatedSerializer,
    SongRequestCreateSerializer,
    SongRequestSerializer,
    VoteResultSerializer,
)
from events.live_selectors import (
    guest_request_data,
    guest_requests,
    live_night_of,
    live_snapshot,
    plan_matches,
    request_data,
)
from events.models import Event
from events.selectors import events_for_guests, events_visible_to
from music.selectors import track_search


class GuestCookieCsrfCheck(SessionAuthentication):
    """Authenticates nobody; enforces CSRF on a request whose guest is identified by the cookie alone."""

    def authenticate(self, request):
        if guests.has_guest_cookie(request) and guests.HEADER not in request.headers:
            self.enforce_csrf(request)
        return None


class GuestIdentityScheme(OpenApiAuthenticationExtension):
    """How the schema documents the guest identity: the X-Guest-Id header or the cookie (both optional)."""

    target_class = GuestCookieCsrfCheck
    name = ["guestId", "guestCookie"]

    def get_security_requirement(self, auto_schema):
        return [{"guestId": []}, {"guestCookie": []}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": guests.HEADER,
                "description": "The signed guest token a previous answer returned in its X-Guest-Id header.",
            },
            {"type": "apiKey", "in": "cookie", "name": guests.COOKIE_NAME},
        ]


class GuestRateThrottle(SimpleRateThrottle):
    """GUEST_RATE per guest. The rate is read at each request (not at import, as DRF does), so that settings
    overridden in tests apply; the key is the one the bidding API's throttle uses, so the budget is shared."""

    scope = "guest"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": guests.guest_from_request(request).id.hex}


class NewGuestIpRateThrottle(GuestRateThrottle):
    """GUEST_RATE per IP address, for callers that come without a valid guest token (see the module doc)."""

    def get_cache_key(self, request, view):
        if not guests.guest_from_request(request).is_new:
            return None
        return self.cache_format % {"scope": "guest-ip", "ident": client_ip(request)}


class GuestAPIView(APIView):
    authentication_classes = [GuestCookieCsrfCheck]
    permission_classes = [AllowAny]
    throttle_classes = [GuestRateThrottle, NewGuestIpRateThrottle]

    @cached_property
    def event(self) -> Event:
        event = hot_reads.event_for_guests(self.kwargs["slug"])
        if event is None:
            raise Http404
        return event

    @property
    def guest(self) -> guests.Guest:
        return guests.guest_from_request(self.request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return guests.remember_guest(response, guests.guest_from_request(request))


class StaffLiveAPIView(APIView):
    permission_classes = [IsAuthenticated, IsBusiness]

    @cached_property
    def event(self) -> Event:
        return get_object_or_404(events_for_guests() & events_visible_to(self.request.user), slug=self.kwargs["slug"])


class QueueView(GuestAPIView):
    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
        summary="The live snapshot: queue, now playing, history, this guest's allowance, the open round",
        description=(
            'Keys: "seq" (the feed message this snapshot includes), "event" {slug, title}, "requests_open", '
            '"pin_required", "bidding_open", "announcement" {text, at} | null, "now_playing" (a request) | '
            'null, "queue" (open requests: playing, up next, then by votes, then oldest; each with "voted" and '
            '"mine"), "played" (newest first), "guest" {tag, requests_left, cooldown_seconds_left, my_requests: '
            '[{id, status}]}, "round" (the open bidding round, as GET round/) | null, "library_search" (the DJ\'s '
            "library has tracks: offer GET library/?q=). Also sets the CSRF cookie."
        ),
    )
    def get(self, request, slug: str):
        get_token(request)  # the page's script echoes the csrftoken cookie on its POSTs
        return Response(live_snapshot(self.event, self.guest.id))


class LibrarySearchView(GuestAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words of the title, artist or album (2 characters or more)")
        ],
        responses={200: LibrarySearchSerializer},
        summary="Search the DJ's library to request a track (request it with its id as track_id)",
    )
    def get(self, request, slug: str):
        self.event  # noqa: B018 (an unknown or cancelled event is a 404 here too)
        query = request.query_params.get("q", "").strip()
        if len(query) < 2:
            raise ValidationError({"q": ["Type at least 2 characters."]})
        return Response(LibrarySearchSerializer({"results": track_search(query[:100])}).data)


class RequestsView(GuestAPIView):
    """GET: this guest's own requests at the event, newest first, with their status (the queue is GET
    queue/). POST: request a song."""

    @extend_schema(responses={200: GuestSongRequestListSerializer}, summary="This guest's requests, newest first")
    def get(self, request, slug: str):
        rows = [guest_request_data(row, self.guest.id) for row in guest_requests(self.event, self.guest.id)]
        return Response(GuestSongRequestListSerializer({"results": rows}).data)

    @extend_schema(
        request=SongRequestCreateSerializer,
        responses={201: SongRequestCreatedSerializer, 200: SongRequestCreatedSerializer},
        summary="Request a song (200 with merged=true: it was requested already, this became a vote)",
    )
    def post(self, request, slug: str):
        data = SongRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        song_request, created = services.song_request_create(
            event=self.event, guest_id=self.guest.id, **data.validated_data
        )
        body = {**guest_request_data(song_request, self.guest.id), "merged": not created}
        return Response(
            SongRequestCreatedSerializer(body).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class VoteView(GuestAPIView):
    @extend_schema(request=None, responses={200: VoteResultSerializer}, summary="Up-vote a request (once per guest)")
    def post(self, request, slug: str, request_id):
        song_request = services.song_request_vote(event=self.event, guest_id=self.guest.id, request_id=request_id)
        body = {"id": song_request.id, "votes": song_request.votes_count, "voted": True}
        return Response(VoteResultSerializer(body).data)


class RequestStatusView(StaffLiveAPIView):
    @extend_schema(
        request=RequestStatusSerializer,
        responses={200: SongRequestSerializer},
        summary="Staff: accept, decline, mark up next / playing / played, skip (409 if someone else did first)",
    )
    def post(self, request, slug: str, request_id):
        data = RequestStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        song_request = services.song_request_set_status(
            actor=request.user, event=self.event, request_id=request_id, **data.validated_data
        )
        return Response(SongRequestSerializer(request_data(song_request)).data)


class LiveSettingsView(StaffLiveAPIView):
    @extend_schema(responses={200: LiveSettingsSerializer}, summary="Staff: the event's request settings")
    def get(self, request, slug: str):
        return Response(LiveSettingsSerializer(live_night_of(self.event)).data)

    @extend_schema(
        request=LiveSettingsSerializer,
        responses={200: LiveSettingsSerializer},
        summary="Staff: open or close requests, set the PIN and the per-guest limits",
    )
    def patch(self, request, slug: str):
        data = LiveSettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        live = services.live_settings_update(actor=request.user, event=self.event, fields=data.validated_data)
        return Response(LiveSettingsSerializer(live).data)


class PlanMatchesView(StaffLiveAPIView):
    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
        summary="Staff: open requests whose song is in the client's music plan",
        description='{"matches": {"<request id>": {"kind": "must_play" | "special_moment" | "do_not_play", '
        '"label": "Must play" | "Special moment: First dance" | "Do not play"}}}',
    )
    def get(self, request, slug: str):
        return Response({"matches": plan_matches(self.event)})


class AnnouncementsView(StaffLiveAPIView):
    @extend_schema(
        request=AnnouncementSerializer,
        responses={201: AnnouncementSerializer},
        summary="Staff: show a short announcement on every guest's page (an empty text takes it down)",
    )
    def post(self, request, slug: str):
        data = AnnouncementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        live = services.announcement_post(actor=request.user, event=self.event, **data.validated_data)
        body = {"text": live.announcement, "at": live.announced_at}
        return Response(AnnouncementSerializer(body).data, status=status.HTTP_201_CREATED)
