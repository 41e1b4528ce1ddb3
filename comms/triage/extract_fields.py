"""Event type, guest count and venue from a message's cleaned text.

- Event type: the occasion wins over the place ("birthday party at the club" is a birthday; "country club" and
  "golf club" are places, not club nights); a few phrases decide first ("wedding anniversary", "bridal shower",
  "engagement party" are private parties); a bare "party" is a private party; nothing found is None.
- Guest count: a number next to guests/people/pax/attendees/"of us", after "headcount:"/"guest count of"/"party
  of"/"expecting", in digits or words ("a hundred and fifty"). A range ("120-150 people", "between 120 and
  150") gives its upper end, the number to plan sound and space for; "from 100 to 120 guests" gives the new
  figure, 120; "80 adults and 20 kids" gives 100. Money, hours and ordinals ("30th birthday") are not counts.
- Venue: "venue: X"/"venue is X"/"location: X", else a name after "at"/"@" that is capitalized or ends in a
  place word (hotel, barn, hall, club, ...), else a home ("at our house" -> "our house"). Lower-case and
  ALL-CAPS names come back in title case; a leading lower-case "the" is dropped, "The" kept."""

import re

from comms.triage.numbers import NUMBER_WORDS, words_to_number
from events.models import EventType

_OVERRIDES = [
    (
        re.compile(r"\b(?:wedding anniversary|bridal shower|engagement party|baby shower)\b", re.I),
        EventType.PRIVATE_PARTY,
    ),
]
_KINDS = [
    (
        EventType.WEDDING,
        re.compile(
            r"\b(?:wedding|weddings|bride|groom|bride-to-be|married|marrying|marriage|nuptials|fianc[ée]e?|"
            r"rehearsal dinner|wedding reception|our big day|newlyweds?|ceremony (?:and|&) reception|"
            r"our ceremony|reception after (?:our|the) ceremony)\b|"
            r"\bceremony \+ reception\b",
            re.I,
        ),
    ),
    (
        EventType.BIRTHDAY,
        re.compile(
            r"\b(?:birthday|birthdays|sweet (?:16|sixteen)|quincea[ñn]era|quince|turning \d+)\b",
            re.I,
        ),
    ),
    (
        EventType.SCHOOL,
        re.compile(
            r"\b(?:school|prom|homecoming|graduation(?! party)|pta|pto|formal dance|semi-formal|students|"
            r"university|college|campus|sorority|fraternity|dance for (?:the )?(?:kids|students)|[0-9]+th grade)\b",
            re.I,
        ),
    ),
    (
        EventType.CORPORATE,
        re.compile(
            r"\b(?:corporate|company|companies|office|work party|staff party|staff|employees|team building|"
            r"our team|the team|firm|conference|product launch|client appreciation|awards (?:night|dinner)|"
            r"business (?:event|dinner|party|function|launch|anniversary)|"
            r"offsite|networking|annual meeting|colleagues|coworkers|co-workers)\b",
            re.I,
        ),
    ),
    (
        EventType.PRIVATE_PARTY,
        re.compile(
            r"\b(?:private party|house party|backyard|back yard|garden party|anniversary|engagement|retirement|"
            r"reunion|bar mitzvah|bat mitzvah|b'nai mitzvah|christening|baptism|communion|graduation party|"
            r"housewarming|dinner party|family party|block party|new year'?s eve party|christmas party|"
            r"holiday party|get-together|our home|our house)\b",
            re.I,
        ),
    ),
    (
        EventType.CLUB,
        re.compile(
            r"\b(?:nightclub|night club|club night|dance club|residency|our club|the club|club gig|club event|"
            r"our bar|lounge night|dj night|club set|club gig)\b",
            re.I,
        ),
    ),
    (
        EventType.OTHER,
        re.compile(
            r"\b(?:festival|fundraiser|charity|church|community event|community|fair|parade|concert|memorial|"
            r"funeral|gala|race|tournament|market)\b",
            re.I,
        ),
    ),
    (EventType.PRIVATE_PARTY, re.compile(r"\bpart(?:y|ies)\b", re.I)),
]


_NOT_AN_OCCASION = re.compile(
    r"\b(?:out of|back in|back at|in) (?:the )?office\b(?! party)|\boffice hours\b|\bbusiness days?\b|"
    r"\b(?:we are|we're|i am|i'm|i work for|i represent) (?:a|an)\b[\w -]{0,30}\b(?:company|business|firm|agency)\b",
    re.I,
)


def event_type(text: str) -> str | None:
    text = _NOT_AN_OCCASION.sub(" ", text)
    for pattern, kind in _OVERRIDES:
        if pattern.search(text):
            return kind.value
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind.value
    return None


_NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{NUMBER_WORDS})"
_PEOPLE = (
    r"(?:guests?|people|persons?|pax|attendees|adults|heads|invitees|folks|of us|kids|children|employees|"
    r"students|ppl|peeps|ppl\.|bodies)"
)
_ABOUT = (
    r"(?:about|around|approx(?:imately|\.)?|roughly|~|±|up to|maybe|close to|over|under|at least|nearly|almost|"
    r"like|some|circa|c\.|est\.?)"
)
_RANGE = re.compile(
    rf"(?<![$£€\d.,])\b(?P<from>from\s+)?(?P<low>\d+)\s*(?:\+|ish)?\s*(?:-|–|—|to|or|/)\s*{_ABOUT}?\s*"
    rf"(?P<high>\d+)\s*(?:\+|ish)?\s*(?:or so\s+)?{_PEOPLE}\b",
    re.I,
)
_BETWEEN = re.compile(rf"\bbetween\s+(?P<low>{_NUMBER})\s*(?:and|&|-)\s*(?P<high>{_NUMBER})\s*{_PEOPLE}?", re.I)
_ADULTS_KIDS = re.compile(
    rf"\b(?P<adults>{_NUMBER})\s*adults?\s*(?:and|\+|&|,|plus)\s*(?P<kids>{_NUMBER})\s*(?:kids|children|teens|minors)\b",
    re.I,
)
_COUNT = re.compile(
    rf"(?<![$£€\d.,])\b(?P<n>{_NUMBER})\s*(?:\+|ish|-ish)?\s*(?:or so\s+|total\s+|more\s+)?{_PEOPLE}\b",
    re.I,
)
_CAPPED = re.compile(r"(?<![$£€\d.,:/-])\b(?P<n>\d{1,5})\s*(?:max|maximum|tops|at most|capacity)\b", re.I)
_LABELLED = re.compile(
    rf"(?:\bhead ?count|\bguest count|\bguest list|\bnumber of (?:guests|people)|#\s*of (?:guests|people)|"
    rf"\bno\.? of (?:guests|people)|\bguests|\battendance|\bparty size|\bparty of|\bexpecting|\bexpect|"
    rf"\bcount|\bpax)\s*(?:is|of|will be|should be|now|at|:|=|-|–|\s)*\s*{_ABOUT}?\s*"
    rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|{NUMBER_WORDS})"
    r"(?!\s*(?:%|\$|dollars|hours?|hrs?|mins?|minutes|am|pm|:\d|st|nd|rd|th|/\d))\b",
    re.I,
)


def _as_number(token: str) -> int | None:
    token = token.strip()
    if token.replace(",", "").isdigit():
        return int(token.replace(",", ""))
    return words_to_number(token)


def _plausible(number: int | None) -> int | None:
    return number if number is not None and 1 <= number <= 20000 else None


def guest_count(text: str) -> int | None:
    found = _ADULTS_KIDS.search(text)
    if found:
        adults, kids = _as_number(found.group("adults")), _as_number(found.group("kids"))
        if adults and kids:
            return _plausible(adults + kids)
    for pattern in (_RANGE, _BETWEEN):
        found = pattern.search(text)
        if found:
            low, high = _as_number(found.group("low")), _as_number(found.group("high"))
            if low and high:
                return _plausible(high if found.groupdict().get("from") else max(low, high))
    for pattern in (_LABELLED, _COUNT, _CAPPED):
        for found in pattern.finditer(text):
            number = _plausible(_as_number(found.group("n")))
            if number:
                return number
    return None


VENUE_WORDS = (
    "hotel|hall|barn|club|farm|farms|estate|manor|winery|vineyard|vineyards|brewery|ballroom|center|centre|park|"
    "gardens|garden|inn|lodge|church|chapel|cathedral|museum|restaurant|lounge|rooftop|loft|warehouse|pavilion|"
    "resort|mansion|castle|house|room|terrace|ranch|arena|theater|theatre|cafe|café|bar|pub|tavern|grill|studio|"
    "gallery|country club|golf club|yacht club|plantation|library|school|gym|gymnasium|auditorium|beach|marina|"
    "boathouse|cellars|distillery|conservatory|courtyard|hangar|mill|tower|suites|lofts|plaza|grove|hollow|"
    "meadows|springs|acres|chateau|villa|cottage|retreat|spa|casino|stadium|field|yard|hotel & spa|the point|"
    "pier|wharf|station|camp|temple|synagogue|depot|factory|observatory|aquarium|zoo|taproom|speakeasy|venue|post|"
    "hut|cabin"
)
_VENUE_WORD = re.compile(rf"\b(?:{VENUE_WORDS})\b", re.I)
_NOT_A_NAME = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun|on|for|this|next|in|"
    r"with|from|to|and|but|so|please|thanks|thank|we|i|it|our|my|the|a|an|around|about|noon|midnight|night|"
    r"christmas|easter|thanksgiving|halloween|new|least|all|first|last|once|asap|dj|djs|home|pm|am|\d+(?:am|pm)?|"
    r"tbd|tba|na|n/a)$",
    re.I,
)
_CONNECTOR = {"of", "the", "at", "on", "&", "and", "de", "la", "le", "du", "by", "in the"}
_LABELLED_VENUE = re.compile(
    r"(?:^|\b)(?:venue|location|place|where)\s*(?:is|will be|:|-|–|=|\s)+\s*(?:at\s+)?(?P<v>[^\n,;!?()]{2,60})",
    re.I | re.M,
)
_AT = re.compile(r"(?=(?:\bat|@|\bvenue)\s+(?P<v>[^\n,;!?()]{2,80}))", re.I)  # overlapping: "club at X Barn"
_HOME = re.compile(
    r"\b(?:at|in)\s+(?P<v>(?:our|my|my parents'?|his|her|their|a friend's|a private)\s+"
    r"(?:house|home|place|backyard|back yard|garden|farm|residence|apartment|condo|property))\b"
    r"(?!\s+(?:[\w-]+\s+)?party)",
    re.I,
)
_NOT_DECIDED = re.compile(r"\b(?:tbd|tba|tbc|not sure|undecided|unknown|not booked|still looking|n/a|none yet)\b", re.I)
_HOUSE_NUMBER = re.compile(r"\d{1,3}")
_NAME_ENDS = re.compile(r"\s*(?:$|[,.;!?)]|\s(?:in|on|for|with|and|at|this|next)\b)", re.I)
_ABBREVIATIONS = {"St", "Mt", "Ft", "Dr", "Ave"}
_TOKEN = re.compile(r"[\w'’&.-]+")


def _name_from(phrase: str, *, all_caps: bool, labelled: bool = False) -> str | None:
    """The venue name at the start of a phrase: capitalized words (with "of", "the", "at", "&" between them), or
    up to five words ending in a place word; None when the phrase does not start with one."""
    phrase = phrase.replace(" @ ", " at ")
    kept: list[str] = []
    capitalized = not all_caps
    for found in _TOKEN.finditer(phrase):
        token = found.group(0)
        bare = token.strip(".'’")
        if not bare:
            break
        if kept and _HOUSE_NUMBER.fullmatch(bare) and _NAME_ENDS.match(phrase, found.end()):
            kept.append(bare)  # "Pier 17", "Studio 54"
            break
        if not kept and token.lower() == "the":
            kept.append(token)
            continue
        if kept and token.lower() in _CONNECTOR:
            kept.append(token)
            continue
        if _NOT_A_NAME.match(bare):
            break
        if capitalized and not bare[0].isupper() and not (bare[0].isdigit() and not kept):
            break
        if not capitalized and len(kept) >= 6:
            break
        if any(char.isdigit() for char in bare) and kept and not re.fullmatch(r"\d+", bare):
            break
        if bare in _ABBREVIATIONS:
            kept.append(token)
            continue
        kept.append(token.rstrip("."))
        if token.endswith("."):  # the sentence ends
            break
    while kept and (kept[-1].lower() in _CONNECTOR or kept[-1].lower() == "the"):
        kept.pop()
    if kept and kept[0].lower() == "the" and (kept[0] == "the" or not capitalized):
        kept.pop(0)
    if not kept:
        return None
    name = " ".join(kept)
    if capitalized:
        return name if (len(kept) > 1 or _VENUE_WORD.search(name) or kept[0][0].isupper()) else None
    ends = [found.end() for found in _VENUE_WORD.finditer(name)]
    if labelled and not ends:
        return name.title()
    return name[: ends[-1]].title() if ends else None


def venue(text: str) -> str | None:
    all_caps = sum(char.isupper() for char in text) > 0.6 * max(1, sum(char.isalpha() for char in text))
    for found in _LABELLED_VENUE.finditer(text):
        value = found.group("v").strip()
        if _NOT_DECIDED.search(value):
            return None
        name = _name_from(value, all_caps=all_caps) or _name_from(value, all_caps=True, labelled=all_caps)
        if name:
            return name
    candidates = []
    for found in _AT.finditer(text):
        phrase = found.group("v")
        if re.match(r"[a-z]", re.sub(r"^the\s+", "", phrase)) and not all_caps:
            name = _name_from(phrase, all_caps=True)  # lower-case: only with a place word, and not "the club"
            if name and " " in name:
                candidates.append((1, found.start(), name))
            continue
        name = _name_from(phrase, all_caps=all_caps)
        if name:
            candidates.append((2 if _VENUE_WORD.search(name) else 0, found.start(), name))
    if candidates:
        return max(candidates, key=lambda candidate: (candidate[0], -candidate[1]))[2]
    home = _HOME.search(text)
    return home.group("v").lower() if home else None
