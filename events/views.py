"""The client portal (a client's events, timeline and music plan), the public guest page of the live night, and
the DJ's live console and event summary.

Views look events up through events.selectors, parse input with events.forms and call one service. The live
pages render the same snapshot the API serves (events.live_selectors); their script keeps them live.
"""

import uuid
import zoneinfo
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from accounts.models import User
from djbiz.money import cents_to_decimal, format_cents
from djbiz.permissions import staff_only
from events import selectors, services
from events.errors import NotEditable
from events.forms import MusicPlanForm, TimelineFormSet, song_formsets, songs_from
from events.guests import guest_from_request, remember_guest
from events.live_selectors import live_snapshot
from events.live_summary import event_summary
from events.models import Event, MusicPlan, SongListKind


def client_only(view):
    """Log-in required; staff have no portal, they work in the admin."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_business:
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapper


def _client_event(request, event_uuid: uuid.UUID) -> Event:
    """The event if this person may see it; a 404 for anyone else's event or a made-up id."""
    return get_object_or_404(selectors.events_visible_to(request.user).select_related("venue"), uuid=event_uuid)


def _lock_reason(user: User, event: Event) -> str:
    """Why the client may not change the plan now; empty while they may."""
    try:
        services.plan_check_editable(actor=user, event=event)
    except NotEditable as error:
        return error.message
    return ""


def _with_countdown(event: Event, now: datetime) -> Event:
    """Set `days_to_go` (whole days on the venue's calendar) on an event that has not ended, else None."""
    today_at_venue = now.astimezone(zoneinfo.ZoneInfo(event.time_zone)).date()
    event.days_to_go = max((event.date - today_at_venue).days, 0) if event.ends_at > now else None
    return event


SONG_LIST_HEADINGS = {
    SongListKind.MUST_PLAY: "Must play",
    SongListKind.DO_NOT_PLAY: "Do not play",
    SongListKind.SPECIAL_MOMENT: "Special moments",
}


def _song_lists(plan: MusicPlan | None) -> list[tuple[str, list]]:
    """(heading, songs) for each song list of the plan, in the order the lists appear on the page."""
    songs = list(plan.songs.all()) if plan else []
    return [(heading, [song for song in songs if song.kind == kind]) for kind, heading in SONG_LIST_HEADINGS.items()]


def _status(request, lock_reason: str) -> int:
    """A refused change is a 403, an invalid one a 400."""
    if request.method != "POST":
        return 200
    return 403 if lock_reason else 400


@client_only
def portal(request):
    """The client's events: upcoming ones first (soonest first), then past ones (latest first)."""
    now = timezone.now()
    events = [
        _with_countdown(event, now)
        for event in selectors.events_visible_to(request.user).select_related("venue").order_by("starts_at")
    ]
    upcoming = [event for event in events if event.days_to_go is not None]
    past = [event for event in reversed(events) if event.days_to_go is None]
    return render(request, "events/portal.html", {"upcoming": upcoming, "past": past})


@client_only
def portal_event(request, event_uuid: uuid.UUID):
    event = _with_countdown(_client_event(request, event_uuid), timezone.now())
    plan = selectors.music_plan_of(event)
    context = {
        "event": event,
        "timeline": selectors.timeline_of(event),
        "plan": plan,
        "song_lists": _song_lists(plan),
        "lock_reason": _lock_reason(request.user, event),
        "assignments": event.assignments.filter(released_at=None).select_related("staff"),
    }
    return render(request, "events/portal_event.html", context)


@client_only
@require_http_methods(["GET", "POST"])
def portal_music_plan(request, event_uuid: uuid.UUID):
    """The music plan form. While the plan is locked it is shown read-only and a POST is refused."""
    event = _client_event(request, event_uuid)
    plan = selectors.music_plan_of(event)
    lock_reason = _lock_reason(request.user, event)
    context = {"event": event, "plan": plan, "song_lists": _song_lists(plan)}
    if not lock_reason:
        data = request.POST if request.method == "POST" else None
        form = MusicPlanForm(data, instance=plan or MusicPlan(event=event))
        formsets = song_formsets(data, plan.songs.all() if plan else [])
        context.update(form=form, formsets=formsets)
        if data is not None and all([form.is_valid(), *(formset.is_valid() for formset in formsets.values())]):
            try:
                services.music_plan_update(
                    actor=request.user, event=event, fields=form.cleaned_data, songs=songs_from(formsets)
                )
            except NotEditable as error:  # the cutoff passed between the check above and the save
                lock_reason = error.message
            else:
                messages.success(request, "Music plan saved. Your DJ will see it right away.")
                return redirect("events:portal-music-plan", event_uuid=event.uuid)
    context["lock_reason"] = lock_reason
    return render(request, "events/portal_music_plan.html", context, status=_status(request, lock_reason))


@client_only
@require_http_methods(["GET", "POST"])
def portal_timeline(request, event_uuid: uuid.UUID):
    """Edit the event's timeline. While the plan is locked it is shown read-only and a POST is refused."""
    event = _client_event(request, event_uuid)
    lock_reason = _lock_reason(request.user, event)
    context = {"event": event, "timeline": selectors.timeline_of(event)}
    if not lock_reason:
        data = request.POST if request.method == "POST" else None
        formset = TimelineFormSet(data, queryset=selectors.timeline_of(event), prefix="timeline")
        context["formset"] = formset
        if data is not None and formset.is_valid():
            items = formset.save(commit=False)
            try:
                services.timeline_update(actor=request.user, event=event, items=items, deleted=formset.deleted_objects)
            except NotEditable as error:  # the cutoff passed between the check above and the save
                lock_reason = error.message
            else:
                messages.success(request, "Timeline saved.")
                return redirect("events:portal-timeline", event_uuid=event.uuid)
    context["lock_reason"] = lock_reason
    return render(request, "events/portal_timeline.html", context, status=_status(request, lock_reason))


def _allowance_text(guest: dict | None) -> str:
    if not guest:
        return ""
    if guest["requests_left"] == 0:
        return "You’ve used all your requests for tonight. You can still vote!"
    if guest["cooldown_seconds_left"] > 0:
        minutes = -(-guest["cooldown_seconds_left"] // 60)
        return f"You can request again in {minutes} min ({guest['requests_left']} left)."
    plural = "" if guest["requests_left"] == 1 else "s"
    return f"You have {guest['requests_left']} request{plural} left."


def _song(request: dict) -> str:
    return f"{request['title']} — {request['artist']}" if request["artist"] else request["title"]


def _round_context(snapshot: dict) -> dict:
    """The open round's leader and minimum bid as text, for the page before its script runs."""
    bidding_round = snapshot["round"]
    if not bidding_round:
        return {}
    currency = bidding_round["currency"]
    leader = bidding_round["leader"]
    leading_request = leader and next((r for r in snapshot["queue"] if r["id"] == leader["request_id"]), None)
    return {
        "round_leader": leader
        and {
            "song": _song(leading_request) if leading_request else "a request",
            "amount": format_cents(leader["amount_cents"], currency),
        },
        "round_min": format_cents(bidding_round["min_next_bid_cents"], currency),
        "round_min_value": cents_to_decimal(bidding_round["min_next_bid_cents"], currency),
    }


def _my_banners(snapshot: dict) -> list[dict]:
    texts = {"playing": "Your song is playing now: {}!", "up_next": "Your song is up next: {}."}
    return [
        {"status": item["status"], "text": texts[item["status"]].format(_song(item))}
        for item in snapshot["queue"]
        if item["mine"] and item["status"] in texts
    ]


def _hosts_said_no_requests(event: Event) -> bool:
    """The hosts' "no guest requests" in their music plan, which wins over the DJ's switch
    (events.services.requests refuses such requests); the pages say so up front instead of offering a form."""
    return MusicPlan.objects.filter(event=event, guest_requests_allowed=False).exists()


@ensure_csrf_cookie
def guest(request, slug: str):
    """The public page guests open on the night (and the request link shared before it): the live queue, votes,
    requests and bidding. Rendered from the same snapshot the API serves, so it reads well before (or without)
    its script. In Stripe mode it carries the publishable key, for Stripe's Payment Element (card bids)."""
    event = get_object_or_404(selectors.events_for_guests(), slug=slug)
    visitor = guest_from_request(request)
    snapshot = live_snapshot(event, visitor.id)
    hosts_said_no = _hosts_said_no_requests(event)
    card_payments = services.card_payments_enabled()
    context = {
        "event": event,
        "snapshot": snapshot,
        "hosts_said_no_requests": hosts_said_no,
        "requests_available": not hosts_said_no and (snapshot["requests_open"] or snapshot["pin_required"]),
        "card_payments": card_payments,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY if card_payments else "",
        "allowance_text": _allowance_text(snapshot["guest"]),
        "my_banners": _my_banners(snapshot),
        **_round_context(snapshot),
    }
    return remember_guest(render(request, "events/guest.html", context), visitor)


def _staff_event(request, slug: str) -> Event:
    return get_object_or_404(selectors.events_visible_to(request.user), slug=slug)


@staff_only
@ensure_csrf_cookie
def console(request, slug: str):
    """The DJ's live console, for a phone or tablet at the booth."""
    event = _staff_event(request, slug)
    snapshot = live_snapshot(event)
    context = {
        "event": event,
        "snapshot": snapshot,
        "hosts_said_no_requests": _hosts_said_no_requests(event),
        **_round_context(snapshot),
    }
    return render(request, "events/console.html", context)


@staff_only
def summary(request, slug: str):
    """After the night: requests, top songs, votes, bids and the money taken."""
    event = _staff_event(request, slug)
    return render(request, "events/event_summary.html", {"event": event, "summary": event_summary(event)})
