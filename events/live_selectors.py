"""Read side of the live night: the queue guests see, the snapshot a page or app loads (and reloads when it
notices a gap in the feed), and what a guest may still request. Feed messages, the API and the pages all
describe a request with request_data(), so a message and a snapshot never disagree on its shape."""

import math
import uuid
from datetime import datetime

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, QuerySet, Value, When
from django.utils import timezone

from events.bidding_selectors import guest_tag, open_round_summary
from events.models import Event, LiveNight, PlannedSong, SongListKind, SongRequest, Vote
from events.songs import normalize_song, same_song
from events.status import OPEN_REQUEST_STATUSES, RequestStatus
from music.selectors import library_has_tracks

PLAYED_HISTORY_LENGTH = 100


def request_data(song_request: SongRequest) -> dict:
    """A request as every guest may see it (no guest id: that is the guest's credential)."""
    return {
        "id": song_request.id,
        "title": song_request.title,
        "artist": song_request.artist,
        "guest_name": song_request.guest_name,
        "message": song_request.message,
        "status": song_request.status,
        "votes": song_request.votes_count,
        "top_bid_cents": song_request.top_bid_cents,
        "pre_party": song_request.pre_party,
        "created_at": song_request.created_at,
        "played_at": song_request.played_at,
    }


def guest_request_data(song_request: SongRequest, guest_id: uuid.UUID | None) -> dict:
    """request_data() plus what concerns the guest asking: whether they voted for it and whether it is theirs.
    Reads the `voted` annotation of with_guest_vote() when present."""
    voted = getattr(song_request, "voted", None)
    if voted is None:
        voted = guest_id is not None and Vote.objects.filter(request=song_request, guest_id=guest_id).exists()
    return {
        **request_data(song_request),
        "voted": voted,
        "mine": guest_id is not None and song_request.guest_id == guest_id,
    }


def with_guest_vote(requests: QuerySet[SongRequest], guest_id: uuid.UUID | None) -> QuerySet[SongRequest]:
    if guest_id is None:
        return requests.annotate(voted=Value(False))
    return requests.annotate(voted=Exists(Vote.objects.filter(request=OuterRef("pk"), guest_id=guest_id)))


def live_night_of(event: Event) -> LiveNight:
    """The event's live settings; unsaved defaults while nobody has touched them (selectors never write)."""
    return LiveNight.objects.filter(event=event).select_related("now_playing").first() or LiveNight(event=event)


def queue_for(event: Event, guest_id: uuid.UUID | None = None) -> list[dict]:
    """Open requests in the order guests see them: playing, then up next, then most votes, then oldest."""
    rank = Case(
        When(status=RequestStatus.PLAYING, then=Value(0)),
        When(status=RequestStatus.UP_NEXT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    requests = (
        SongRequest.objects.filter(event=event, status__in=OPEN_REQUEST_STATUSES)
        .annotate(rank=rank)
        .order_by("rank", "-votes_count", "created_at", "id")
    )
    return [guest_request_data(song_request, guest_id) for song_request in with_guest_vote(requests, guest_id)]


def played_for(event: Event) -> list[dict]:
    """The songs played so far, newest first (the last PLAYED_HISTORY_LENGTH)."""
    requests = SongRequest.objects.filter(event=event, status=RequestStatus.PLAYED).order_by("-played_at", "-id")
    return [request_data(song_request) for song_request in requests[:PLAYED_HISTORY_LENGTH]]


def guest_requests(event: Event, guest_id: uuid.UUID) -> QuerySet[SongRequest]:
    """The guest's own requests, newest first, annotated with `voted`."""
    requests = SongRequest.objects.filter(event=event, guest_id=guest_id).order_by("-created_at", "-id")
    return with_guest_vote(requests, guest_id)


def guest_allowance(live: LiveNight, guest_id: uuid.UUID, *, now: datetime | None = None) -> tuple[int, int]:
    """(requests left, seconds until the next request is allowed) for a guest. Every request the guest made
    counts, whatever became of it; a duplicate that was turned into a vote does not (it made no request)."""
    made = SongRequest.objects.filter(event_id=live.event_id, guest_id=guest_id).aggregate(
        count=Count("id"), last=Max("created_at")
    )
    requests_left = max(live.requests_per_guest - made["count"], 0)
    cooldown_left = 0
    if made["last"] is not None:
        elapsed = ((now or timezone.now()) - made["last"]).total_seconds()
        cooldown_left = max(math.ceil(live.request_cooldown_seconds - elapsed), 0)
    return requests_left, cooldown_left


def pin_required(live: LiveNight, event: Event, *, now: datetime | None = None) -> bool:
    """Whether guests can request now only with the PIN: before the party, requests closed, a PIN set."""
    return bool(live.request_pin) and not live.requests_open and (now or timezone.now()) < event.starts_at


def live_snapshot(event: Event, guest_id: uuid.UUID | None = None) -> dict:
    """Everything a guest page or app shows, as of feed message `seq`.

    `seq` is read first: a change that commits while the rest is read is then already in the snapshot and
    its message (seq + 1 or later) is applied again, harmlessly, since messages carry whole rows. Reading it
    last could pair new numbers with old rows and lose a change."""
    live = live_night_of(event)
    now = timezone.now()
    guest = None
    if guest_id is not None:
        requests_left, cooldown_left = guest_allowance(live, guest_id, now=now)
        guest = {
            "tag": guest_tag(guest_id),
            "requests_left": requests_left,
            "cooldown_seconds_left": cooldown_left,
            "my_requests": [
                {"id": request_id, "status": status}
                for request_id, status in SongRequest.objects.filter(event=event, guest_id=guest_id)
                .order_by("created_at", "id")
                .values_list("id", "status")
            ],
        }
    announcement = {"text": live.announcement, "at": live.announced_at} if live.announcement else None
    return {
        "seq": live.sequence,
        "event": {"slug": event.slug, "title": event.title},
        "requests_open": live.requests_open,
        "pin_required": pin_required(live, event, now=now),
        "bidding_open": live.bidding_open,
        "announcement": announcement,
        "now_playing": request_data(live.now_playing) if live.now_playing else None,
        "queue": queue_for(event, guest_id),
        "played": played_for(event),
        "guest": guest,
        "round": open_round_summary(event),
        "library_search": library_has_tracks(),
    }


def live_settings_data(live: LiveNight, event: Event) -> dict:
    """The settings as the feed tells every guest (never the PIN itself)."""
    return {
        "requests_open": live.requests_open,
        "pin_required": pin_required(live, event),
        "requests_per_guest": live.requests_per_guest,
        "request_cooldown_seconds": live.request_cooldown_seconds,
        "bidding_open": live.bidding_open,
    }


def plan_matches(event: Event) -> dict[str, dict]:
    """For the DJ only (it shows the client's plan): the open requests whose song is in the event's music plan,
    by request id: {"kind": must_play | special_moment | do_not_play, "label": "Must play" | "Special moment:
    First dance" | "Do not play"}. A do-not-play song is refused when requested; one that reaches the queue was
    requested before the client added it to the list."""
    songs = PlannedSong.objects.filter(plan__event=event).order_by("position", "id")
    planned = sorted(((normalize_song(song.title, song.artist), song) for song in songs), key=_plan_priority)
    if not planned:
        return {}
    matches = {}
    requests = SongRequest.objects.filter(event=event, status__in=OPEN_REQUEST_STATUSES).values_list("id", "normalized")
    for request_id, normalized in requests:
        song = next((song for key, song in planned if same_song(normalized, key)), None)
        if song is not None:
            matches[str(request_id)] = {"kind": song.kind, "label": _plan_label(song)}
    return matches


def _plan_priority(keyed_song: tuple[str, PlannedSong]) -> int:
    """A song on several lists shows the one that matters most at the booth."""
    return [SongListKind.DO_NOT_PLAY, SongListKind.SPECIAL_MOMENT, SongListKind.MUST_PLAY].index(keyed_song[1].kind)


def _plan_label(song: PlannedSong) -> str:
    if song.kind == SongListKind.SPECIAL_MOMENT and song.moment:
        return f"{SongListKind.SPECIAL_MOMENT.label}: {song.moment}"
    return SongListKind(song.kind).label
