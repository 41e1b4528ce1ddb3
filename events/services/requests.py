"""Song requests and votes on the night, and the DJ's live controls (requests open or closed, limits, PIN,
announcements).

Lock order. Every live-night transaction locks song-request rows before the event's LiveNight row (which
feed.publish() updates to number the message, and which the DJ's actions update), as bidding does (round,
then requests, then LiveNight): two transactions never wait for each other in opposite orders, so
PostgreSQL never has to break a deadlock with an error. A guest's new request is serialized per guest with a
transaction-scoped advisory lock on PostgreSQL (SQLite's IMMEDIATE transactions serialize every writer), so
a guest's limit and cooldown hold even when their phone sends twice at once.

Duplicates. A request for a song that is already open becomes a vote for it. The database's partial unique
constraint `one_open_request_per_song` settles two guests asking for the same song at the same moment: the
second insert fails, inside a savepoint, and turns into a vote."""

import hashlib
import hmac
import uuid
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from djbiz.errors import DomainError
from events import feed
from events.live_selectors import guest_allowance, live_night_of, live_settings_data, pin_required, request_data
from events.models import Event, LiveNight, MusicPlan, PlannedSong, SongListKind, SongRequest, Vote
from events.profanity import mask_profanity
from events.songs import normalize_song, same_song
from events.status import OPEN_REQUEST_STATUSES, RequestStatus, request_statuses_leading_to
from music.models import Track


class RequestsError(DomainError):
    """Bad input (400, naming the field)."""


class RequestsRefused(RequestsError):
    http_status = 409
    code = "refused"


class RequestCooldown(RequestsRefused):
    code = "cooldown"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class RequestsForbidden(RequestsError):
    http_status = 403
    code = "forbidden"


class RequestNotFound(RequestsError):
    http_status = 404
    code = "not_found"


DO_NOT_PLAY_MESSAGE = "The couple asked us not to play this one tonight — pick another?"
ANNOUNCEMENT_MAX_LENGTH = 280
# LiveNight fields the DJ sets through live_settings_update(); the bidding switch goes through bidding.py
# (opening starts a round), but the round length and the amounts are plain settings.
LIVE_SETTINGS = (
    "requests_open",
    "request_pin",
    "requests_per_guest",
    "request_cooldown_seconds",
    "round_seconds",
    "min_bid_cents",
    "min_increment_cents",
)


def _text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise RequestsError("This field may not be blank.", field=field)
    if len(value) > max_length:
        raise RequestsError(f"Keep it to {max_length} characters.", field=field)
    return value


def _require_staff(actor: User) -> None:
    if not actor.is_business:
        raise RequestsForbidden("Only the owner and staff DJs can do this.")


def _live_night(event: Event) -> LiveNight:
    return LiveNight.objects.get_or_create(event=event)[0]


def _check_requests_allowed(*, live: LiveNight, event: Event, pin: str | None, now: datetime) -> bool:
    """Raise unless this guest may request now; True for a request made before the party (with the PIN).
    The hosts' wish in their music plan ("no guest requests") wins over the DJ's switch."""
    if MusicPlan.objects.filter(event=event, guest_requests_allowed=False).exists():
        raise RequestsRefused("The hosts asked for no song requests tonight.", code="requests_off")
    if live.requests_open:
        return now < event.starts_at
    if not pin_required(live, event, now=now):
        raise RequestsRefused("Song requests are closed right now.", code="requests_closed")
    if not pin:
        raise RequestsForbidden("Enter the PIN from your invitation to request songs before the party.", field="pin")
    if not hmac.compare_digest(pin.strip().encode(), live.request_pin.encode()):
        raise RequestsForbidden("That PIN is not right.", code="wrong_pin", field="pin")
    return True


def _check_do_not_play(*, event: Event, normalized: str) -> None:
    songs = PlannedSong.objects.filter(plan__event=event, kind=SongListKind.DO_NOT_PLAY).values_list("title", "artist")
    if any(same_song(normalized, normalize_song(title, artist)) for title, artist in songs):
        raise RequestsRefused(DO_NOT_PLAY_MESSAGE, code="do_not_play")


def _serialize_guest(*, event: Event, guest_id: uuid.UUID) -> None:
    """Hold this guest's request lock until the transaction ends (PostgreSQL; see the module docstring)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"song-request:{event.pk}:{guest_id}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])


def _check_allowance(*, live: LiveNight, guest_id: uuid.UUID, now: datetime) -> None:
    requests_left, cooldown_left = guest_allowance(live, guest_id, now=now)
    if not requests_left:
        limit = live.requests_per_guest
        raise RequestsRefused(
            f"You've made your {limit} request{'s' if limit != 1 else ''} for tonight — up-vote others' songs instead!",
            code="request_limit",
        )
    if cooldown_left:
        minutes = round(cooldown_left / 60)
        wait = (
            f"{cooldown_left} second{'s' if cooldown_left != 1 else ''}" if cooldown_left < 90 else f"{minutes} minutes"
        )
        raise RequestCooldown(f"Give the DJ a moment: you can request again in {wait}.", retry_after=cooldown_left)


def _vote(*, event: Event, song_request: SongRequest, guest_id: uuid.UUID) -> bool:
    """Add the guest's vote to an open request; False if they had voted for it already. Counted with F(), in
    the row, so simultaneous votes are all counted."""
    if song_request.status not in OPEN_REQUEST_STATUSES:
        raise RequestsRefused(
            f"Voting has ended for this song: it is {song_request.get_status_display().lower()}.",
            code="request_not_open",
        )
    try:
        with transaction.atomic():
            Vote.objects.create(request=song_request, guest_id=guest_id)
    except IntegrityError:  # one vote per guest per request: a second vote changes nothing
        return False
    counted = SongRequest.objects.filter(pk=song_request.pk, status__in=OPEN_REQUEST_STATUSES).update(
        votes_count=F("votes_count") + 1
    )
    if not counted:  # the DJ closed it a moment ago: roll the vote back with the transaction
        raise RequestsRefused("Voting has just ended for this song.", code="request_not_open")
    song_request.refresh_from_db()
    feed.publish(event=event, kind="request", data=request_data(song_request))
    return True


def song_request_create(
    *,
    event: Event,
    guest_id: uuid.UUID,
    title: str,
    artist: str = "",
    guest_name: str = "",
    message: str = "",
    track_id: uuid.UUID | None = None,
    pin: str | None = None,
) -> tuple[SongRequest, bool]:
    """A guest asks for a song: (the request, True), or (the open request for the same song, False) when
    theirs became a vote for it. `track_id` names the track of the DJ's library the guest picked in the search:
    the request then takes the track's title and artist, whatever was typed."""
    track = None
    if track_id is not None:
        track = Track.objects.filter(pk=track_id).first()
        if track is None:
            raise RequestsError("That song is no longer in the library; type its title instead.", field="track_id")
        title, artist = track.title, track.artist
    title = _text(title, field="title", max_length=200, required=True)
    artist = _text(artist, field="artist", max_length=200)
    normalized = normalize_song(title, artist)
    if not normalized.split("|", 1)[0]:
        raise RequestsError("Type the song's title in letters or numbers.", field="title")
    guest_name = mask_profanity(_text(guest_name, field="guest_name", max_length=60))
    message = mask_profanity(_text(message, field="message", max_length=200))
    now = timezone.now()
    with transaction.atomic():
        live = live_night_of(event)
        pre_party = _check_requests_allowed(live=live, event=event, pin=pin, now=now)
        _check_do_not_play(event=event, normalized=normalized)
        existing = SongRequest.objects.filter(
            event=event, normalized=normalized, status__in=OPEN_REQUEST_STATUSES
        ).first()
        if existing is not None:
            _vote(event=event, song_request=existing, guest_id=guest_id)
            return existing, False
        _serialize_guest(event=event, guest_id=guest_id)
        _check_allowance(live=live, guest_id=guest_id, now=now)
        try:
            with transaction.atomic():
                song_request = SongRequest.objects.create(
                    event=event,
                    guest_id=guest_id,
                    title=title,
                    artist=artist,
                    normalized=normalized,
                    track=track,
                    guest_name=guest_name,
                    message=message,
                    votes_count=1,
                    pre_party=pre_party,
                )
                Vote.objects.create(request=song_request, guest_id=guest_id)
        except IntegrityError as error:  # another guest's request for this song committed first
            existing = SongRequest.objects.filter(
                event=event, normalized=normalized, status__in=OPEN_REQUEST_STATUSES
            ).first()
            if existing is None:  # ... and the DJ closed it in the same instant
                raise RequestsRefused("Someone asked for this song just now; try again.") from error
            _vote(event=event, song_request=existing, guest_id=guest_id)
            return existing, False
        feed.publish(event=event, kind="request", data=request_data(song_request))
    return song_request, True


def song_request_vote(*, event: Event, guest_id: uuid.UUID, request_id: uuid.UUID) -> SongRequest:
    """One up-vote per guest per open request; voting again returns the request unchanged."""
    with transaction.atomic():
        song_request = SongRequest.objects.filter(event=event, pk=request_id).first()
        if song_request is None:
            raise RequestNotFound("No such request at this event.")
        _vote(event=event, song_request=song_request, guest_id=guest_id)
    return song_request


def song_request_set_status(
    *, actor: User, event: Event, request_id: uuid.UUID, status: str, reason: str = ""
) -> SongRequest:
    """The DJ moves a request along REQUEST_TRANSITIONS. The move claims the row with a conditional update, so
    of two DJs acting on one request at the same moment one succeeds and the other is told what happened.
    PLAYING makes it now playing (the song playing before counts as played); PLAYED stamps played_at."""
    _require_staff(actor)
    if status not in RequestStatus.values:
        raise RequestsError(f"Unknown status {status!r}.", field="status")
    reason = _text(reason, field="reason", max_length=200)
    now = timezone.now()
    with transaction.atomic():
        changes = {"status": status, "status_changed_at": now}
        if status == RequestStatus.DECLINED:
            changes["decline_reason"] = reason
        if status == RequestStatus.PLAYED:
            changes["played_at"] = now
        try:
            with transaction.atomic():
                claimed = SongRequest.objects.filter(
                    event=event, pk=request_id, status__in=request_statuses_leading_to(status)
                ).update(**changes)
        except IntegrityError as error:  # reopening a song that a guest has requested again since
            raise RequestsRefused(
                "This song has been requested again meanwhile: use that request.", code="status_conflict"
            ) from error
        if not claimed:
            _explain_refused_move(event=event, request_id=request_id, status=status)
        song_request = SongRequest.objects.get(pk=request_id)
        if status == RequestStatus.PLAYING:
            _start_playing(event=event, song_request=song_request, now=now)
        else:
            feed.publish(event=event, kind="request", data=request_data(song_request))
            if LiveNight.objects.filter(event=event, now_playing=song_request).update(now_playing=None):
                feed.publish(event=event, kind="now_playing", data={"request": None})
    return song_request


def _explain_refused_move(*, event: Event, request_id: uuid.UUID, status: str) -> None:
    current = SongRequest.objects.filter(event=event, pk=request_id).values_list("status", flat=True).first()
    if current is None:
        raise RequestNotFound("No such request at this event.")
    if current == status:
        message = f"Already marked {RequestStatus(status).label.lower()}."
    else:
        message = (
            f"It is {RequestStatus(current).label.lower()} now, so it cannot be marked "
            f"{RequestStatus(status).label.lower()}."
        )
    raise RequestsRefused(message, code="status_conflict", extra={"status": current})


def _start_playing(*, event: Event, song_request: SongRequest, now: datetime) -> None:
    """The song that was playing is played; this one is now playing. Two DJs starting two different songs at
    the same moment: the one who comes second (after waiting for the LiveNight row) is refused."""
    previous = list(SongRequest.objects.filter(event=event, status=RequestStatus.PLAYING).exclude(pk=song_request.pk))
    SongRequest.objects.filter(pk__in=[row.pk for row in previous], status=RequestStatus.PLAYING).update(
        status=RequestStatus.PLAYED, status_changed_at=now, played_at=now
    )
    live = LiveNight.objects.select_for_update().get(pk=_live_night(event).pk)
    started_meanwhile = (
        SongRequest.objects.filter(event=event, status=RequestStatus.PLAYING)
        .exclude(pk__in=[song_request.pk, *(row.pk for row in previous)])
        .first()
    )
    if started_meanwhile is not None:
        raise RequestsRefused(f"{started_meanwhile} was started a moment ago by someone else.", code="status_conflict")
    live.now_playing = song_request
    live.save(update_fields=["now_playing", "updated_at"])
    for row in previous:
        row.refresh_from_db()
        feed.publish(event=event, kind="request", data=request_data(row))
    feed.publish(event=event, kind="request", data=request_data(song_request))
    feed.publish(event=event, kind="now_playing", data={"request": request_data(song_request)})


def live_settings_update(*, actor: User, event: Event, fields: dict) -> LiveNight:
    """The DJ opens or closes requests, sets the PIN, the per-guest limits and the bidding amounts. Only the
    fields given change, so the bidding switch, set at the same moment through bidding.py, is not overwritten."""
    _require_staff(actor)
    unknown = set(fields) - set(LIVE_SETTINGS)
    if unknown:
        raise RequestsError("This setting cannot be changed here.", field=sorted(unknown)[0])
    with transaction.atomic():
        live = LiveNight.objects.select_for_update().get(pk=_live_night(event).pk)
        for name, value in fields.items():
            setattr(live, name, value.strip() if name == "request_pin" else value)
        live.clean_fields(exclude=[field.name for field in LiveNight._meta.fields if field.name not in fields])
        live.save(update_fields=[*fields, "updated_at"])
        feed.publish(event=event, kind="settings", data=live_settings_data(live, event))
    return live


def announcement_post(*, actor: User, event: Event, text: str) -> LiveNight:
    """A short message from the DJ to every guest's page, shown as typed; an empty text takes it down."""
    _require_staff(actor)
    text = text.strip()
    if len(text) > ANNOUNCEMENT_MAX_LENGTH:
        raise RequestsError(f"Keep it to {ANNOUNCEMENT_MAX_LENGTH} characters.", field="text")
    with transaction.atomic():
        live = LiveNight.objects.select_for_update().get(pk=_live_night(event).pk)
        live.announcement = text
        live.announced_at = timezone.now() if text else None
        live.save(update_fields=["announcement", "announced_at", "updated_at"])
        feed.publish(event=event, kind="announcement", data={"text": live.announcement, "at": live.announced_at})
    return live
