"""Whole numbers written in words: "a hundred and fifty", "one hundred twenty-five", "two hundred", "fifty",
"a couple hundred", "a dozen"."""

import re

UNITS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
TENS = {
    word: 10 * number
    for number, word in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)
}
SCALES = {"hundred": 100, "thousand": 1000}
_TENS, _UNITS, _SCALES = "|".join(TENS), "|".join(UNITS), "|".join(SCALES)
_WORD = rf"(?:(?:{_TENS})(?:[\s-]+(?:{_UNITS}))?|{_UNITS}|{_SCALES}|dozen|couple)"
# Every step needs a number word, so a run of "a a a ..." cannot make the regex backtrack for ever.
NUMBER_WORDS = rf"(?:(?:an?\s+)?{_WORD}(?:(?:[\s-]+|\s+and\s+){_WORD}){{0,6}})"
_REAL = re.compile(rf"\b(?:{'|'.join([*TENS, *UNITS, *SCALES, 'dozen'])})\b", re.IGNORECASE)


def words_to_number(text: str) -> int | None:
    """The number the words spell, or None when they spell none ("a", "and")."""
    if not _REAL.search(text):
        return None
    total = current = 0
    for word in re.split(r"[\s-]+", text.lower().strip()):
        if word in ("a", "an", "couple"):
            current = max(current, 2 if word == "couple" else 1)
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
    return total + current or None
