"""Consent: who may receive marketing, the one-click unsubscribe link (RFC 8058), SMS keywords (STOP/START/HELP)
and SMS quiet hours in the recipient's time zone."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import BusinessProfile
from comms.models import Channel, OptOut, OptOutSource, normalize_address
from events.models import Client, Event

_UNSUBSCRIBE_SALT = "comms.unsubscribe"

# Twilio's standard opt-out keywords (the ones its Advanced Opt-Out honours), matched on the whole message.
STOP_KEYWORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
START_KEYWORDS = frozenset({"START", "YES", "UNSTOP", "OPTIN"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})


class BadUnsubscribeLink(Exception):
    pass


# --- opt-outs ---------------------------------------------------------------------------------------------


def opt_out_record(*, channel: str, address: str, source: str) -> bool:
    """Record that `address` wants no more marketing on `channel`. False when it had opted out already."""
    try:
        with transaction.atomic():
            OptOut.objects.create(channel=channel, address=address, source=source)
    except IntegrityError:
        return False
    return True


def opt_in_record(*, channel: str, address: str) -> bool:
    """The address opts in again (SMS START, staff). False when it was not opted out."""
    deleted, _ = OptOut.objects.filter(channel=channel, address=normalize_address(channel, address)).delete()
    return bool(deleted)


def opted_out(*, channel: str, address: str) -> bool:
    return OptOut.objects.filter(channel=channel, address=normalize_address(channel, address)).exists()


# --- unsubscribe links --------------------------------------------------------------------------------------


def unsubscribe_url(*, channel: str, address: str) -> str:
    """A signed link that opts this address out; it does not expire (old newsletters must keep working)."""
    token = signing.dumps({"c": channel, "a": normalize_address(channel, address)}, salt=_UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("comms:unsubscribe", args=[token])


def unsubscribe_address(token: str) -> tuple[str, str]:
    """(channel, address) of an unsubscribe link's token, or BadUnsubscribeLink."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        channel, address = data["c"], data["a"]
    except (signing.BadSignature, KeyError, TypeError) as error:
        raise BadUnsubscribeLink("This unsubscribe link is not valid.") from error
    if channel not in Channel.values:
        raise BadUnsubscribeLink("This unsubscribe link is not valid.")
    return channel, address


# --- SMS keywords -------------------------------------------------------------------------------------------


def sms_keyword_handle(*, from_number: str, body: str) -> str | None:
    """Act on STOP / START / HELP sent to our number. Returns the reply to send back (HELP), "" for a keyword
    that needs no reply of ours (Twilio confirms STOP and START itself), None when the text is no keyword."""
    keyword = body.strip().strip(".!").upper()
    if keyword in STOP_KEYWORDS:
        opt_out_record(channel=Channel.SMS, address=from_number, source=OptOutSource.KEYWORD)
        return ""
    if keyword in START_KEYWORDS:
        opt_in_record(channel=Channel.SMS, address=from_number)
        return ""
    if keyword in HELP_KEYWORDS:
        business = BusinessProfile.current()
        contact = " or ".join(part for part in (business.phone, business.email) if part)
        return (
            f"{business.name}: booking and event messages."
            + (f" Help: {contact}." if contact else "")
            + " Reply STOP to opt out, START to opt back in. Msg & data rates may apply."
        )
    return None


# --- quiet hours --------------------------------------------------------------------------------------------


def quiet_window() -> tuple[time, time] | None:
    """settings.SMS_QUIET_HOURS ("21:00-08:00") as (start, end), None when there are no quiet hours."""
    if not settings.SMS_QUIET_HOURS:
        return None
    start, end = (time.fromisoformat(part.strip()) for part in settings.SMS_QUIET_HOURS.split("-"))
    return start, end


def quiet_hours_end(*, now: datetime, time_zone: str) -> datetime | None:
    """When `now` falls in the quiet hours of `time_zone`, the instant they end (the recipient's morning);
    otherwise None."""
    window = quiet_window()
    if window is None:
        return None
    start, end = window
    zone = zoneinfo.ZoneInfo(time_zone)
    local = now.astimezone(zone)
    wall = local.time().replace(tzinfo=None)
    wraps_midnight = start > end
    quiet = (wall >= start or wall < end) if wraps_midnight else (start <= wall < end)
    if not quiet:
        return None
    day = local.date() + timedelta(days=1) if wraps_midnight and wall >= start else local.date()
    return datetime.combine(day, end, tzinfo=zone)


def recipient_time_zone(*, client: Client | None = None, event: Event | None = None) -> str:
    """The recipient's time zone for quiet hours: the event's (its venue's), else that of the client's latest
    event (clients have no time zone of their own), else the business's."""
    if event is not None and event.time_zone:
        return event.time_zone
    if client is not None:
        latest = client.events.exclude(time_zone="").order_by("-starts_at").values_list("time_zone", flat=True)
        if latest:
            return latest[0]
    return BusinessProfile.current().time_zone
