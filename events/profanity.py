"""Masking of profanity in what guests write (their name and dedication), before anyone sees it on the page.

A small built-in list matched as whole words, case-insensitively; each word keeps its first letter
("f***"). Whole words only, and inflections listed one by one rather than as prefixes, so that "Dickens",
"cocktail" or "Scunthorpe" pass untouched."""

import re

WORDS = frozenset(
    {
        "arse",
        "arsehole",
        "ass",
        "asshole",
        "assholes",
        "bastard",
        "bastards",
        "bitch",
        "bitches",
        "bitching",
        "bollocks",
        "bullshit",
        "cock",
        "cocks",
        "cocksucker",
        "cunt",
        "cunts",
        "dick",
        "dickhead",
        "dicks",
        "dildo",
        "fuck",
        "fucked",
        "fucker",
        "fuckers",
        "fuckin",
        "fucking",
        "fucks",
        "motherfucker",
        "motherfuckers",
        "motherfucking",
        "piss",
        "pissed",
        "prick",
        "pricks",
        "pussy",
        "shit",
        "shits",
        "shitty",
        "slut",
        "sluts",
        "twat",
        "wanker",
        "wankers",
        "whore",
        "whores",
    }
)

_PATTERN = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True)) + r")\b", re.I)


def mask_profanity(text: str) -> str:
    return _PATTERN.sub(lambda match: match.group()[0] + "*" * (len(match.group()) - 1), text)
