"""The demo business behind `manage.py demo`: a DJ company with an owner, two staff DJs, clients (two with
portal logins), venues in three time zones, gear, packages, and events around today, among them tonight's
party whose guest page is /e/demo-party/ (requests and bidding open, a few requests with votes), and a small
music library for the guests' search.

Every row is found again by a natural key (e-mail, name, slug), and a row is written only when it differs
from the demo, so building twice changes nothing. Dates are relative to today in the venue's time zone: a
re-run on a later day moves the events along and keeps their identity."""

import datetime as dt
import uuid
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from accounts.models import BusinessProfile, Role, User
from events.models import (
    ChecklistItem,
    Client,
    EquipmentItem,
    Event,
    LiveNight,
    MusicPlan,
    Package,
    PlannedSong,
    SongRequest,
    StaffAssignment,
    Tag,
    TimelineItem,
    Venue,
)
from events.services import bidding_open, event_save, song_request_create, song_request_vote, staff_assign
from events.status import EventStatus, can_transition
from music.models import Track

LIVE_EVENT_SLUG = "demo-party"


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    password: str
    name: str


LOGINS = (
    Login(Role.OWNER, "owner@demo.djbiz.test", "demo-owner-pass", "Jordan Blake"),
    Login(Role.STAFF, "dj.maya@demo.djbiz.test", "demo-staff-pass", "Maya Chen"),
    Login(Role.STAFF, "dj.leo@demo.djbiz.test", "demo-staff-pass", "Leo Martinez"),
    Login(Role.CLIENT, "client.sam@demo.djbiz.test", "demo-client-pass", "Sam Rivera"),
    Login(Role.CLIENT, "client.priya@demo.djbiz.test", "demo-client-pass", "Priya Shah"),
)

BUSINESS = {
    "name": "Night Owl Entertainment",
    "email": "hello@nightowl.demo.djbiz.test",
    "phone": "+1 718 555 0142",
    "website": "https://nightowl.example.com",
    "address": "210 Bedford Ave, Suite 3\nBrooklyn, NY 11211",
    "currency": "USD",
    "time_zone": "America/New_York",
    "tax_name": "Sales tax",
    "tax_rate": Decimal("8.875"),
    "client_edit_cutoff_days": 7,
}

# e-mail -> name, company, phone, source, tags, portal login
CLIENTS = {
    "client.sam@demo.djbiz.test": ("Sam & Alex Rivera", "", "917-555-0101", "planner", ["Wedding"], True),
    "client.priya@demo.djbiz.test": ("Priya Shah", "", "646-555-0102", "referral", ["Repeat", "VIP"], True),
    "marcus@demo.djbiz.test": ("Marcus Lee", "Brightline Analytics", "312-555-0103", "website", ["Corporate"], False),
    "pta.lincoln@demo.djbiz.test": ("Dana Whitfield", "Lincoln High PTA", "201-555-0104", "repeat", ["School"], False),
    "okafor@demo.djbiz.test": ("Chris & Taylor Okafor", "", "518-555-0105", "directory", ["Wedding"], False),
    "mia.torres@demo.djbiz.test": ("Mia Torres", "", "212-555-0106", "social", ["VIP"], False),
}  # fmt: skip

# name -> city, region, time zone, setting, address, load-in notes
VENUES = {
    "Harborview Loft": ("Brooklyn", "NY", "America/New_York", "indoor", "12 Harbor Way", "Freight elevator at rear."),
    "Maple Grove Barn": ("Hudson", "NY", "America/New_York", "both", "480 Orchard Rd", "Gravel drive; use a cart."),
    "The Rooftop at Pier 9": ("New York", "NY", "America/New_York", "outdoor", "9 Pier Ave", "Service lift to 7."),
    "Lakeshore Pavilion": ("Chicago", "IL", "America/Chicago", "both", "1600 Lakeshore Dr", "Dock B, 30 min max."),
    "Lincoln High School Gym": ("Jersey City", "NJ", "America/New_York", "indoor", "100 Lincoln Ave", "Gym doors."),
    "Desert Bloom Resort": ("Palm Springs", "CA", "America/Los_Angeles", "outdoor", "77 Canyon Rd", "Lawn: no stakes."),
}  # fmt: skip

# name -> category, quantity owned
EQUIPMENT = {
    "QSC K12.2 speaker": ("sound", 4),
    "QSC KS118 subwoofer": ("sound", 2),
    "Pioneer DDJ-FLX10 controller": ("dj", 2),
    "Shure SLXD24 wireless mic": ("microphone", 4),
    "Battery uplight": ("lighting", 16),
    "Moving-head light": ("lighting", 4),
    "Cold-spark machine": ("lighting", 2),
    "Speaker stand": ("staging", 4),
    "DJ facade (white)": ("staging", 2),
    "55-inch screen": ("video", 1),
    "Extension cord, 50 ft": ("power", 10),
}

# name -> hours, price in cents, description
PACKAGES = {
    "Essentials": (Decimal(4), 120_000, "DJ, sound for up to 150 guests and a wireless microphone."),
    "Corporate": (Decimal(4), 200_000, "Background music, microphones and a screen for speeches, dancing after."),
    "Signature": (Decimal(5), 250_000, "Essentials plus dance-floor lighting, 8 uplights and ceremony sound."),
    "Premier": (Decimal(6), 380_000, "Signature plus a second DJ/MC, 16 uplights and cold sparks."),
}

WEDDING_TIMELINE = [
    ("15:30", "arrival", "DJ arrival and setup", ""),
    ("16:30", "ceremony", "Ceremony", "A Thousand Years — Christina Perri"),
    ("17:00", "cocktail_hour", "Cocktail hour", ""),
    ("18:00", "grand_entrance", "Grand entrance", "Crazy in Love — Beyoncé"),
    ("18:15", "dinner", "Dinner", ""),
    ("19:15", "toasts", "Toasts", ""),
    ("19:30", "first_dance", "First dance", "Perfect — Ed Sheeran"),
    ("19:35", "parent_dance", "Parent dances", "My Girl — The Temptations"),
    ("19:45", "open_dancing", "Open dancing", ""),
    ("21:30", "cake_cutting", "Cake cutting", "Sugar — Maroon 5"),
    ("22:55", "last_dance", "Last dance", "Don't Stop Believin' — Journey"),
]
PARTY_TIMELINE = [
    ("18:00", "arrival", "DJ arrival and setup", ""),
    ("19:00", "other", "Guests arrive", ""),
    ("20:30", "toasts", "Toast to the birthday star", ""),
    ("20:40", "cake_cutting", "Cake", "Birthday — The Beatles"),
    ("21:00", "open_dancing", "Open dancing — guest requests on", ""),
    ("00:45", "last_dance", "Last dance", "Dancing Queen — ABBA"),
]
CORPORATE_TIMELINE = [
    ("17:30", "arrival", "DJ arrival and setup", ""),
    ("18:30", "cocktail_hour", "Welcome drinks", ""),
    ("19:30", "speech", "CEO speech and awards", ""),
    ("20:00", "dinner", "Dinner", ""),
    ("21:00", "open_dancing", "Open dancing", ""),
    ("22:15", "last_dance", "Last dance", "September — Earth, Wind & Fire"),
]
SCHOOL_TIMELINE = [
    ("18:00", "arrival", "DJ arrival and setup", ""),
    ("19:00", "open_dancing", "Doors open", ""),
    ("21:00", "other", "Court announcement", ""),
    ("22:50", "last_dance", "Last dance", "Mr. Brightside — The Killers"),
]

WEDDING_GEAR = [
    ("QSC K12.2 speaker", 4),
    ("QSC KS118 subwoofer", 2),
    ("Pioneer DDJ-FLX10 controller", 1),
    ("Shure SLXD24 wireless mic", 2),
    ("Battery uplight", 16),
    ("Cold-spark machine", 2),
    ("DJ facade (white)", 1),
]
PARTY_GEAR = [
    ("QSC K12.2 speaker", 2),
    ("QSC KS118 subwoofer", 1),
    ("Pioneer DDJ-FLX10 controller", 1),
    ("Shure SLXD24 wireless mic", 1),
    ("Moving-head light", 2),
]
CORPORATE_GEAR = [*PARTY_GEAR, ("55-inch screen", 1), ("Extension cord, 50 ft", 4)]

WEDDING_SONGS = [
    ("special_moment", "Grand entrance", "Crazy in Love", "Beyoncé"),
    ("special_moment", "First dance", "Perfect", "Ed Sheeran"),
    ("special_moment", "Parent dances", "My Girl", "The Temptations"),
    ("must_play", "", "September", "Earth, Wind & Fire"),
    ("must_play", "", "Uptown Funk", "Mark Ronson ft. Bruno Mars"),
    ("must_play", "", "Mr. Brightside", "The Killers"),
    ("do_not_play", "", "Cha Cha Slide", "DJ Casper"),
    ("do_not_play", "", "Macarena", "Los del Río"),
]
PARTY_SONGS = [
    ("special_moment", "Cake", "Birthday", "The Beatles"),
    ("must_play", "", "Dancing Queen", "ABBA"),
    ("must_play", "", "Levitating", "Dua Lipa"),
    ("must_play", "", "Yeah!", "Usher"),
    ("do_not_play", "", "Gangnam Style", "PSY"),
]


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    event_type: str
    client: str  # client e-mail
    venue: str
    days_from_today: int
    start: str
    end: str
    package: str
    price_cents: int
    guest_count: int
    status: str
    staff: list[tuple[str, str]] = field(default_factory=list)  # (staff e-mail, assignment role)
    timeline: list = field(default_factory=list)
    gear: list = field(default_factory=list)
    songs: list = field(default_factory=list)
    genres: tuple[str, str] = ("", "")  # loved, avoided


MAYA, LEO = "dj.maya@demo.djbiz.test", "dj.leo@demo.djbiz.test"
EVENTS = [
    DemoEvent(
        "demo-okafor-wedding", "Chris & Taylor's wedding", "wedding", "okafor@demo.djbiz.test", "Maple Grove Barn",
        -45, "16:00", "23:00", "Premier", 380_000, 140, EventStatus.COMPLETED, [(MAYA, "lead_dj"), (LEO, "mc")],
        WEDDING_TIMELINE, WEDDING_GEAR, WEDDING_SONGS, ("Motown, 90s R&B, current pop", "Heavy metal"),
    ),
    DemoEvent(
        "demo-priya-30th", "Priya's 30th birthday", "birthday", "client.priya@demo.djbiz.test", "Harborview Loft",
        -20, "20:00", "00:30", "Essentials", 120_000, 60, EventStatus.COMPLETED, [(LEO, "lead_dj")],
        PARTY_TIMELINE, PARTY_GEAR, PARTY_SONGS, ("Bollywood, 2000s hip hop", "Country"),
    ),
    DemoEvent(
        LIVE_EVENT_SLUG, "Mia's rooftop birthday party", "birthday", "mia.torres@demo.djbiz.test",
        "The Rooftop at Pier 9", 0, "19:00", "01:00", "Signature", 250_000, 80, EventStatus.BOOKED,
        [(MAYA, "lead_dj")], PARTY_TIMELINE, PARTY_GEAR, PARTY_SONGS, ("Disco, house, throwbacks", "Slow songs"),
    ),
    DemoEvent(
        "demo-brightline-holiday", "Brightline Analytics holiday party", "corporate", "marcus@demo.djbiz.test",
        "Lakeshore Pavilion", 12, "18:30", "22:30", "Corporate", 200_000, 200, EventStatus.BOOKED,
        [(LEO, "lead_dj")], CORPORATE_TIMELINE, CORPORATE_GEAR, [], ("Clean top 40, funk", "Explicit lyrics"),
    ),
    DemoEvent(
        "demo-brightline-picnic", "Brightline summer picnic", "corporate", "marcus@demo.djbiz.test",
        "Lakeshore Pavilion", 20, "12:00", "16:00", "Essentials", 120_000, 150, EventStatus.CANCELLED,
    ),
    DemoEvent(
        "demo-rivera-wedding", "Sam & Alex's wedding", "wedding", "client.sam@demo.djbiz.test", "Maple Grove Barn",
        30, "16:30", "23:00", "Premier", 380_000, 120, EventStatus.BOOKED, [(MAYA, "lead_dj"), (LEO, "second_dj")],
        WEDDING_TIMELINE, WEDDING_GEAR, WEDDING_SONGS, ("80s, Motown, current pop", "Line dances"),
    ),
    DemoEvent(
        "demo-lincoln-formal", "Lincoln High spring formal", "school", "pta.lincoln@demo.djbiz.test",
        "Lincoln High School Gym", 45, "19:00", "23:00", "Essentials", 150_000, 300, EventStatus.QUOTED,
        [(LEO, "lead_dj")], SCHOOL_TIMELINE, PARTY_GEAR, [], ("Current pop, hip hop (clean)", "Explicit lyrics"),
    ),
    DemoEvent(
        "demo-priya-engagement", "Priya & Dev's engagement party", "private_party", "client.priya@demo.djbiz.test",
        "Desert Bloom Resort", 75, "18:00", "22:00", "Signature", 250_000, 90, EventStatus.INQUIRY,
    ),
]  # fmt: skip

# Tonight's requests on the party's page: title, artist, guest name, dedication, votes from other guests.
LIVE_REQUESTS = [
    ("Dancing Queen", "ABBA", "Mia's mom", "For the birthday girl, from all of us!", 6),
    ("September", "Earth, Wind & Fire", "Jess", "", 4),
    ("Mr. Brightside", "The Killers", "Tom", "Everyone on the floor", 3),
    ("Levitating", "Dua Lipa", "", "", 2),
    ("Yeah!", "Usher", "Andre", "", 1),
]
# A small library so the guest page's search has something to find (title, artist, album, year, BPM, Camelot).
LIBRARY = [
    ("Dancing Queen", "ABBA", "Arrival", 1976, "100.00", "11B"),
    ("September", "Earth, Wind & Fire", "The Best of Earth, Wind & Fire, Vol. 1", 1978, "126.00", "5A"),
    ("Mr. Brightside", "The Killers", "Hot Fuss", 2004, "148.00", "1B"),
    ("Levitating", "Dua Lipa", "Future Nostalgia", 2020, "103.00", "10A"),
    ("Uptown Funk (feat. Bruno Mars)", "Mark Ronson", "Uptown Special", 2014, "115.00", "5A"),
    ("Crazy in Love (feat. Jay-Z)", "Beyoncé", "Dangerously in Love", 2003, "99.00", "4B"),
    ("Valerie", "Mark Ronson & Amy Winehouse", "Version", 2007, "106.00", "11B"),
    ("Shut Up and Dance", "Walk the Moon", "Talking Is Hard", 2014, "128.00", "4B"),
    ("I Wanna Dance with Somebody", "Whitney Houston", "Whitney", 1987, "119.00", "7B"),
    ("Don't Stop Me Now", "Queen", "Jazz", 1978, "156.00", "8B"),
    ("At Last", "Etta James", "At Last!", 1960, "87.00", "6A"),
    ("Get Lucky (feat. Pharrell Williams)", "Daft Punk", "Random Access Memories", 2013, "116.00", "3A"),
]
# Guests of the demo are fixed ids, so a second run finds its requests and votes again.
DEMO_GUESTS = uuid.UUID("5d1c8f3e-6f5b-4c1e-9a57-0d3b2f1e7a10")


@dataclass
class DemoResult:
    business: BusinessProfile
    notes: list[str] = field(default_factory=list)


def _upsert(model: type[models.Model], values: dict, **lookup) -> models.Model:
    """The row with these natural-key values, created or brought in line with `values`; saved only when
    something differs, so a second run leaves even the timestamps alone."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


def _user(login: Login) -> User:
    user = User.objects.filter(email=login.email).first()
    if user is None:
        return User.objects.create_user(login.email, login.password, full_name=login.name, role=login.role)
    changed = (user.full_name, user.role, user.is_active) != (login.name, login.role, True)
    user.full_name, user.role, user.is_active = login.name, login.role, True
    if not user.check_password(login.password):
        user.set_password(login.password)
        changed = True
    if changed:
        user.save()
    return user


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _event(spec: DemoEvent, *, owner: User, notes: list[str]) -> Event:
    venue = Venue.objects.get(name=spec.venue)
    today_at_venue = timezone.localdate(timezone=zoneinfo.ZoneInfo(venue.time_zone))
    fields = {
        "title": spec.title,
        "event_type": spec.event_type,
        "client": Client.objects.get(email=spec.client),
        "venue": venue,
        "date": today_at_venue + dt.timedelta(days=spec.days_from_today),
        "start_time": _time(spec.start),
        "end_time": _time(spec.end),
        "package": Package.objects.get(name=spec.package),
        "price_cents": spec.price_cents,
        "guest_count": spec.guest_count,
        "status": spec.status,
    }
    event = Event.objects.filter(slug=spec.slug).first()
    if event is None:
        return event_save(actor=owner, event=Event(slug=spec.slug), fields=fields)
    changed = {name: value for name, value in fields.items() if getattr(event, name) != value}
    if "status" in changed and not can_transition(event.status, spec.status):
        notes.append(
            f"{spec.slug} stays {event.get_status_display()}: the pipeline does not lead back to "
            f"{EventStatus(spec.status).label}."
        )
        del changed["status"]
    if changed:
        event_save(actor=owner, event=event, fields=changed)
    return event


def _event_details(spec: DemoEvent, event: Event, *, owner: User) -> None:
    for email, role in spec.staff:
        staff = User.objects.get(email=email)
        assignment = StaffAssignment.objects.filter(event=event, staff=staff).first()
        if assignment is None:
            staff_assign(actor=owner, event=event, staff=staff, role=role)
        elif assignment.role != role:
            assignment.role = role
            assignment.save(update_fields=["role"])
    for position, (time, kind, title, song) in enumerate(spec.timeline):
        values = {"time": _time(time), "kind": kind, "song": song, "position": position}
        _upsert(TimelineItem, values, event=event, title=title)
    packed = event.status == EventStatus.COMPLETED or spec.days_from_today == 0
    for name, quantity in spec.gear:
        equipment = EquipmentItem.objects.get(name=name)
        _upsert(
            ChecklistItem, {"equipment": equipment, "quantity": quantity, "packed": packed}, event=event, label=name
        )
    if spec.timeline:
        loved, avoided = spec.genres
        plan = _upsert(
            MusicPlan,
            {"genres_loved": loved, "genres_avoided": avoided, "guest_requests_allowed": spec.event_type != "school"},
            event=event,
        )
        position_in_list = Counter()
        for kind, moment, title, artist in spec.songs:
            values = {"moment": moment, "artist": artist, "position": position_in_list[kind]}
            position_in_list[kind] += 1
            _upsert(PlannedSong, values, plan=plan, kind=kind, title=title)


def _live_party(event: Event, *, owner: User) -> None:
    """Tonight's party is live: requests and bidding open (pledge mode while no Stripe keys are set), with a
    few requests and votes so a new user's first look at the guest page is not an empty one."""
    _upsert(LiveNight, {"requests_open": True}, event=event)
    bidding_open(actor=owner, event=event)  # starts a round unless one is open; the q2 schedule runs the next
    for number, (title, artist, guest_name, message, votes) in enumerate(LIVE_REQUESTS):
        requester = uuid.uuid5(DEMO_GUESTS, f"requester-{number}")
        if SongRequest.objects.filter(event=event, guest_id=requester).exists():
            continue
        song_request, _ = song_request_create(
            event=event, guest_id=requester, title=title, artist=artist, guest_name=guest_name, message=message
        )
        for voter in range(votes):
            song_request_vote(
                event=event, guest_id=uuid.uuid5(DEMO_GUESTS, f"voter-{voter}"), request_id=song_request.pk
            )


@transaction.atomic
def build_demo() -> DemoResult:
    """Create or refresh the demo business; see the module docstring."""
    result = DemoResult(business=_upsert(BusinessProfile, BUSINESS, pk=1))
    users = {login.email: _user(login) for login in LOGINS}
    owner = users[LOGINS[0].email]
    for email, (name, company, phone, source, tags, has_login) in CLIENTS.items():
        user = users[email] if has_login else None
        values = {"name": name, "company": company, "phone": phone, "source": source, "user": user}
        client = _upsert(Client, values, email=email)
        client.tags.add(*(Tag.objects.get_or_create(name=tag)[0] for tag in tags))
    for name, (city, region, time_zone, setting, address, load_in) in VENUES.items():
        values = {
            "city": city,
            "region": region,
            "country": "US",
            "time_zone": time_zone,
            "setting": setting,
            "address": address,
            "load_in_notes": load_in,
        }
        _upsert(Venue, values, name=name)
    for name, (category, quantity) in EQUIPMENT.items():
        _upsert(EquipmentItem, {"category": category, "quantity_owned": quantity}, name=name)
    for name, (hours, price_cents, description) in PACKAGES.items():
        _upsert(Package, {"hours": hours, "price_cents": price_cents, "description": description}, name=name)
    # Latest first: on a re-run days later every event moves forward by the same number of days, and an
    # event may only land where another of its DJ's events used to be once that one has moved on.
    for spec in sorted(EVENTS, key=lambda spec: spec.days_from_today, reverse=True):
        event = _event(spec, owner=owner, notes=result.notes)
        _event_details(spec, event, owner=owner)
    _live_party(Event.objects.get(slug=LIVE_EVENT_SLUG), owner=owner)
    for title, artist, album, year, bpm, camelot in LIBRARY:
        _upsert(
            Track, {"album": album, "year": year, "bpm": Decimal(bpm), "camelot": camelot}, title=title, artist=artist
        )
    return result
