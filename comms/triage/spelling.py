"""Repairs the spelling of the words the extractors look for: SMS shorthand ("r u free", "bday", "ppl"),
common misspellings ("Febuary", "Wendsday") and any one-letter slip (a letter missing, extra, wrong or two
swapped: "Saterday", "weding", "availible") in a long domain word.

Only words in VOCABULARY are ever produced, and only words of six letters or more are repaired by distance,
so "match" never becomes "march" and "looking" never becomes "booking"."""

import functools
import re

SHORTHAND = {
    "u": "you",
    "r": "are",
    "ur": "your",
    "yr": "your",
    "pls": "please",
    "plz": "please",
    "bday": "birthday",
    "b-day": "birthday",
    "bdy": "birthday",
    "ppl": "people",
    "peeps": "people",
    "ppls": "people",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tonite": "tonight",
    "2nite": "tonight",
    "wknd": "weekend",
    "wkend": "weekend",
    "avail": "available",
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "tx": "thanks",
    "hw": "how",
    "wat": "what",
    "wht": "what",
    "b4": "before",
    "gr8": "great",
    "asap": "ASAP",
    "appt": "appointment",
    "dj's": "DJs",
    "fourty": "forty",
    "weds": "wednesday",
    "weddin": "wedding",
    "wedd": "wedding",
    "feburary": "february",
    "febuary": "february",
    "februray": "february",
    "janurary": "january",
    "januray": "january",
    "agust": "august",
    "augst": "august",
    "septmber": "september",
    "spetember": "september",
    "ocotber": "october",
    "octobre": "october",
    "novmber": "november",
    "decmber": "december",
    "decemeber": "december",
    "wendsday": "wednesday",
    "wensday": "wednesday",
    "wednsday": "wednesday",
    "thrusday": "thursday",
    "thurday": "thursday",
    "tuseday": "tuesday",
    "teusday": "tuesday",
    "satuday": "saturday",
    "saterday": "saturday",
    "saturady": "saturday",
    "sataurday": "saturday",
    "satruday": "saturday",
    "firday": "friday",
    "fridy": "friday",
    "sundy": "sunday",
    "venu": "venue",
    "veneu": "venue",
    "vanue": "venue",
    "gusts": "guests",
    "guets": "guests",
    "gests": "guests",
    "geusts": "guests",
    "poeple": "people",
    "peopel": "people",
    "pple": "people",
    "prise": "price",
    "pirce": "price",
    "prcie": "price",
    "qoute": "quote",
    "quot": "quote",
    "qote": "quote",
    "brithday": "birthday",
    "birtday": "birthday",
    "bithday": "birthday",
    "birhtday": "birthday",
    "corprate": "corporate",
    "coporate": "corporate",
    "recieved": "received",
    "recieve": "receive",
    "thankyou": "thank you",
    "weddding": "wedding",
    "pary": "party",
    "prty": "party",
    "partty": "party",
    "parrty": "party",
    "juyl": "july",
    "jnue": "june",
    "juen": "june",
    "mrach": "march",
    "arpil": "april",
    "apirl": "april",
    "janury": "january",
}

VOCABULARY = [
    "january",
    "february",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "wedding",
    "birthday",
    "available",
    "availability",
    "anniversary",
    "corporate",
    "graduation",
    "reception",
    "tomorrow",
    "guests",
    "people",
    "quinceanera",
    "disappointed",
    "disappointing",
    "unprofessional",
    "terrible",
    "horrible",
    "refund",
    "reschedule",
    "postpone",
    "pricing",
    "package",
    "packages",
    "interested",
    "amazing",
    "wonderful",
    "fantastic",
    "awesome",
    "ceremony",
    "retirement",
    "engagement",
    "christmas",
    "company",
    "employees",
    "restaurant",
    "ballroom",
    "vineyard",
    "brewery",
    "attendees",
    "headcount",
    "everyone",
    "unacceptable",
    "complaint",
    "celebration",
    "celebrate",
    "weekend",
    "hundred",
    "thousand",
    "seventy",
    "twenty",
    "ninety",
]

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")
_KNOWN = frozenset(VOCABULARY)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_BY_DELETE: dict[str, str] = {}
for _word in VOCABULARY:
    if len(_word) >= 6:
        for _short in _deletes(_word):
            _BY_DELETE.setdefault(_short, _word)


@functools.lru_cache(maxsize=20000)
def _repair(lowered: str) -> str | None:
    if lowered in SHORTHAND:
        return SHORTHAND[lowered]
    if len(lowered) < 6 or lowered in _KNOWN or not lowered.isalpha():
        return None
    if lowered in _BY_DELETE:  # a letter missing
        return _BY_DELETE[lowered]
    for shorter in _deletes(lowered):
        if shorter in _KNOWN and len(shorter) >= 6 and not lowered.startswith(shorter):
            return shorter  # a letter too many (but "weddings" stays plural)
        if shorter in _BY_DELETE:  # a letter wrong or two swapped
            return _BY_DELETE[shorter]
    return None


def _keep_case(original: str, repaired: str) -> str:
    if original.isupper() and len(original) > 1:
        return repaired.upper()
    if original[0].isupper():
        return repaired[0].upper() + repaired[1:]
    return repaired


def _fix(match: re.Match) -> str:
    word = match.group(0)
    repaired = _repair(word.lower())
    return word if repaired is None else _keep_case(word, repaired)


def fix_spelling(text: str) -> str:
    return _WORD.sub(_fix, text)
