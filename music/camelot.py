"""The Camelot wheel, on which DJs mix in key: 12 numbers round a circle (a fifth apart), A for minor keys and B
for major. From a key, the harmonically compatible ones are the same code, one step either way round the wheel
(1 and 12 are neighbours) and the relative major/minor (the same number, the other letter)."""

import re

CODES: tuple[str, ...] = tuple(f"{number}{letter}" for letter in "AB" for number in range(1, 13))
_MINOR_TONICS = ("Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#")  # 1A-12A
_MAJOR_TONICS = ("B", "F#", "C#", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E")  # 1B-12B
KEYS: dict[str, str] = {
    **{f"{number}A": f"{tonic} minor" for number, tonic in enumerate(_MINOR_TONICS, start=1)},
    **{f"{number}B": f"{tonic} major" for number, tonic in enumerate(_MAJOR_TONICS, start=1)},
}
_CODE = re.compile(r"^\s*(1[0-2]|0?[1-9])\s*([ABab])\s*$")


def normalize(code: str) -> str | None:
    """ "8a", " 08A " -> "8A"; None for anything that is not a Camelot code."""
    match = _CODE.match(code or "")
    return f"{int(match.group(1))}{match.group(2).upper()}" if match else None


def compatible(code: str) -> list[str]:
    """The codes a track in `code` mixes into harmonically, itself first: 8A -> 8A, 7A, 9A, 8B. Empty for
    something that is not a Camelot code."""
    normalized = normalize(code)
    if normalized is None:
        return []
    number, letter = int(normalized[:-1]), normalized[-1]
    down, up = (number - 2) % 12 + 1, number % 12 + 1
    other = "B" if letter == "A" else "A"
    return [normalized, f"{down}{letter}", f"{up}{letter}", f"{number}{other}"]
