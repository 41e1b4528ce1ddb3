"""The event's date in a message, resolved against the day it was received.

Rules (the event is in the future of the message unless the sender says "last ..."/"yesterday"):
- A date with a year is taken as written ("14/06/2027", "June 14, 2027", "2027-06-14"); an impossible one
  (29 Feb 2027) is no date.
- A month and day without a year ("June 14", "14th of June", "Sat 6th June", "6/14") is the next such day on or
  after the day received; 29 February waits for the next leap year. A weekday written beside it is ignored.
- A day alone ("the 14th") is the next 14th strictly after the day received; "Saturday the 14th" is the next
  14th that falls on a Saturday.
- A weekday ("Saturday", "next Saturday", "this coming Sat") is the first one strictly after the day received,
  so "next Saturday" written on a Saturday is a week later, and on a Wednesday the Saturday three days on;
  "this Saturday" written on a Saturday is that day. "last Saturday" is the most recent one before it.
- A thanks or a complaint is about an event that happened (`past=True`): there a date without a year, a day
  alone or a bare weekday ("you killed it on Saturday") is the most recent one before the day received (a
  month and day may be that day); "next"/"this"/"coming" still look ahead.
- Numeric dates: when one part is over 12 it is the day; otherwise month/day (US) unless `day_first`.
- "today", "tonight", "tomorrow", "this weekend" (the coming Saturday, today on a Saturday), "next weekend"
  (the Saturday after that), "yesterday", "last night".

Several dates in one message: a date right after "until", "back on", "away", "reply by", "before", "from" (in
"from X to Y") and the like is not the event's; of the others the first after "to", "instead", "new date",
"wedding/party/event (is) on" wins, else the first."""

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
ORDINALS = {word: number for number, word in enumerate(_ORDINAL_WORDS, start=1)}
for _unit, _word in enumerate(_ORDINAL_WORDS[:9], start=1):
    ORDINALS[f"twenty-{_word}"] = ORDINALS[f"twenty {_word}"] = 20 + _unit
ORDINALS |= {"thirtieth": 30, "thirty-first": 31, "thirty first": 31}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_WEEKDAY_FULL = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_WEEKDAY_ANY = r"(?P<weekday>(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?"
_ORDINAL_WORD = "|".join(sorted((re.escape(word) for word in ORDINALS), key=len, reverse=True))
_DAY = rf"(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?|{_ORDINAL_WORD})"
_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d\d|'\d\d)(?!\d))?"
_NOT_A_COUNT = r"(?!\s*(?:-|to|or)?\s*\d*\s*(?:guests|people|ppl|pax|persons|adults|kids|children|hours|hrs|min))"
_SEP = r"(?:,\s*|\s+)"

PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")),
    (
        "numeric",
        re.compile(
            r"(?<![\d/.$£€-])(?!24/7\b)(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})"
            r"(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?![\d/]|\.\d)(?!\s*(?:of|off|hours?|hrs?|price)\b)"
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b(?:{_WEEKDAY_ANY}{_SEP}(?:the\s+)?)?{_MONTH}\s*(?:the\s+)?{_DAY}\b{_NOT_A_COUNT}{_YEAR}",
            re.IGNORECASE,
        ),
    ),
    (
        "day_month",
        re.compile(
            rf"\b(?:{_WEEKDAY_ANY}{_SEP}(?:the\s+)?)?(?:the\s+)?{_DAY}\s*(?:of\s+|-\s*)?{_MONTH}{_YEAR}",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday_day",
        re.compile(
            rf"\b{_WEEKDAY_ANY}{_SEP}(?:the\s+)?(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)|{_ORDINAL_WORD})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "day",
        re.compile(
            r"\bthe\s+(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b"
            r"(?!\s*(?:anniversary|birthday|bday|annual|year|time|floor|century|dance|street|st\b|ave|place|song|"
            r"guest|person|one|of\s+(?:us|them|all)))",
            re.IGNORECASE,
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<word>day after tomorrow|tomorrow|today|tonight|yesterday|last night|this weekend|"
            r"next weekend|this coming weekend)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<which>this coming|next|this|coming|last|on)\s+)?(?P<weekday>{_WEEKDAY_FULL}|"
            r"(?<=next )(?:mon|tue|wed|thu|fri|sat|sun)|(?<=this )(?:mon|tue|wed|thu|fri|sat|sun))\b(?!s)",
            re.IGNORECASE,
        ),
    ),
]

_TAIL = r"[\s,:]*(?:on\s+|the\s+|on\s+the\s+)?(?:\w+day,?\s+)?$"
_NOT_THE_EVENT = re.compile(
    r"(?:\buntil|\btill|\btil|\bback(?:\s+(?:on|from))?|\baway|\bday off|\bout of (?:the )?office|"
    r"\b(?:back|return|returning|returns|away|traveling|travelling|off|out)\b[^.,;!?\n]{0,25}?\b(?:on|until|till|from)|"
    r"\breturn(?:ing)?(?: on)?|\bby|\bbefore|\bdeadline|\breply|\brespond|\bget back to (?:me|us)|\bpaid|"
    r"\bdeposit|\binvoice|\bsince|\bsent|\bleave|\bleaving|\bvacation|\btrip|\bon leave|\bclosed)" + _TAIL,
    re.IGNORECASE,
)
_PROBABLY_NOT_THE_EVENT = re.compile(
    r"(?:\bfrom|\bwas|\boriginally|\binstead of|\bnot|\bisn't|\bno longer|\bscheduled for|\bbooked for|"
    r"\bcurrently|\bcurrently (?:on|booked for|set for))" + _TAIL,
    re.IGNORECASE,
)
_THE_EVENT = re.compile(
    r"(?:\bto|\binstead|\bnew date(?: is| of| will be)?|\bnow|\bmove(?:d)? (?:it )?to|\bchange(?:d)? (?:it )?to|"
    r"\b(?:wedding|party|event|reception|celebration|gig|date|it)(?:'s| is| will be| would be| falls)?(?: on)?|"
    r"\bavailable(?: on| for)?|\bfree(?: on| for)?|\bbook(?: you)?(?: for)?|\bon)" + _TAIL,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    day: dt.date
    start: int
    end: int
    stated_weekday: int | None = None  # the weekday written beside a full date ("Sat 6th June"), 0 = Monday


_WEEKDAY_BEFORE = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*$", re.IGNORECASE)


def _stated_weekday(kind: str, found: re.Match, text: str) -> int | None:
    if kind not in ("iso", "numeric", "month_day", "day_month"):
        return None
    written = found.groupdict().get("weekday")
    if not written:
        before = _WEEKDAY_BEFORE.search(text[max(0, found.start() - 12) : found.start()])
        written = before.group(1) if before else None
    return WEEKDAYS[written[:3].lower()] if written else None


def _number(token: str) -> int:
    token = token.lower()
    return ORDINALS[token] if token in ORDINALS else int(re.sub(r"\D", "", token))


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else MONTHS[token.lower()[:3]]


def _year(token: str | None) -> int | None:
    if not token:
        return None
    token = token.lstrip("'")
    return 2000 + int(token) if len(token) == 2 else int(token)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def next_month_day(month: int, day: int, *, on_or_after: dt.date) -> dt.date | None:
    """The first `month`/`day` on or after a day (29 February: the next leap year's)."""
    for year in range(on_or_after.year, on_or_after.year + 9):
        found = _safe_date(year, month, day)
        if found and found >= on_or_after:
            return found
    return None


def next_day_of_month(day: int, *, after: dt.date, weekday: int | None = None) -> dt.date | None:
    year, month = after.year, after.month
    for _ in range(12 * 28 if weekday is not None else 13):
        found = _safe_date(year, month, day)
        if found and found > after and (weekday is None or found.weekday() == weekday):
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def next_weekday(weekday: int, *, after: dt.date) -> dt.date:
    return after + dt.timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def previous_month_day(month: int, day: int, *, on_or_before: dt.date) -> dt.date | None:
    for year in range(on_or_before.year, on_or_before.year - 9, -1):
        found = _safe_date(year, month, day)
        if found and found <= on_or_before:
            return found
    return None


def previous_day_of_month(day: int, *, before: dt.date, weekday: int | None = None) -> dt.date | None:
    year, month = before.year, before.month
    for _ in range(12 * 28 if weekday is not None else 13):
        found = _safe_date(year, month, day)
        if found and found < before and (weekday is None or found.weekday() == weekday):
            return found
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return None


def previous_weekday(weekday: int, *, before: dt.date) -> dt.date:
    return before - dt.timedelta(days=(before.weekday() - weekday - 1) % 7 + 1)


def _resolve(kind: str, found: re.Match, received: dt.date, day_first: bool, past: bool) -> dt.date | None:
    groups = found.groupdict()
    if kind == "iso":
        return _safe_date(int(groups["year"]), int(groups["month"]), int(groups["day"]))
    if kind == "numeric":
        first, second = int(groups["first"]), int(groups["second"])
        if groups["sep"] != "/" and not groups["year"]:
            return None  # "14.06" may be a price and "7-11" a time: a dotted or dashed date needs its year
        if first > 12 or (day_first and second <= 12):
            first, second = second, first
        month, day = first, second
        return _month_day(month, day, _year(groups["year"]), received, past)
    if kind in ("month_day", "day_month"):
        if groups["month"] == "may" and groups["day"].isalpha():
            return None  # "you may first ..."
        month, day = _month_number(groups["month"]), _number(groups["day"])
        return _month_day(month, day, _year(groups["year"]), received, past)
    if kind == "weekday_day":
        weekday = WEEKDAYS[groups["weekday"][:3].lower()]
        if past:
            return previous_day_of_month(_number(groups["day"]), before=received, weekday=weekday)
        return next_day_of_month(
            _number(groups["day"]), after=received, weekday=WEEKDAYS[groups["weekday"][:3].lower()]
        )
    if kind == "day":
        return next_day_of_month(_number(groups["day"]), after=received)
    if kind == "relative":
        return _relative(groups["word"].lower(), received)
    weekday = WEEKDAYS[groups["weekday"][:3].lower()]
    which = (groups["which"] or "").lower()
    if which == "last" or (past and which in ("", "on")):
        return previous_weekday(weekday, before=received)
    if which == "this" and received.weekday() == weekday:
        return received
    return next_weekday(weekday, after=received)


def _month_day(month: int, day: int, year: int | None, received: dt.date, past: bool) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    if year is not None:
        return _safe_date(year, month, day)
    if past:
        return previous_month_day(month, day, on_or_before=received)
    return next_month_day(month, day, on_or_after=received)


def _relative(word: str, received: dt.date) -> dt.date:
    saturday = received if received.weekday() == 5 else next_weekday(5, after=received)
    return {
        "today": received,
        "tonight": received,
        "tomorrow": received + dt.timedelta(days=1),
        "day after tomorrow": received + dt.timedelta(days=2),
        "yesterday": received - dt.timedelta(days=1),
        "last night": received - dt.timedelta(days=1),
        "this weekend": saturday,
        "this coming weekend": saturday,
        "next weekend": saturday + dt.timedelta(days=7),
    }[word]


def find_dates(text: str, *, received: dt.date, day_first: bool = False, past: bool = False) -> list[DateMention]:
    """Every date mentioned, in reading order; a span read by one pattern is not read again by a later one."""
    taken = bytearray(len(text) + 3)  # 1 where a date was read
    mentions = []
    for kind, pattern in PATTERNS:
        for found in pattern.finditer(text):
            start, end = found.span()
            reach = end + 3 if kind == "weekday" else end  # "Saturday, 6/14" is one date
            if any(taken[start:reach]):
                continue
            day = _resolve(kind, found, received, day_first, past)
            if day is not None:
                taken[start:end] = b"\x01" * (end - start)
                mentions.append(DateMention(day, start, end, _stated_weekday(kind, found, text)))
    return sorted(mentions, key=lambda mention: mention.start)


def _before(text: str, mention: DateMention) -> str:
    """The words in front of a date, within its sentence."""
    window = text[max(0, mention.start - 40) : mention.start]
    return re.split(r"[.!?\n;]", window)[-1]


def event_date(text: str, *, received: dt.date, day_first: bool = False, past: bool = False) -> dt.date | None:
    mention = event_date_mention(text, received=received, day_first=day_first, past=past)
    return mention.day if mention else None


def event_date_mention(
    text: str, *, received: dt.date, day_first: bool = False, past: bool = False
) -> DateMention | None:
    likely, unlikely = [], []
    for mention in find_dates(text, received=received, day_first=day_first, past=past):
        before = _before(text, mention)
        if not _NOT_THE_EVENT.search(before):
            (unlikely if _PROBABLY_NOT_THE_EVENT.search(before) else likely).append((mention, before))
    for mention, before in likely:
        if _THE_EVENT.search(before):
            return mention
    chosen = likely or unlikely
    return chosen[0][0] if chosen else None
