"""How long an SMS is on the wire: characters and segments (GSM 03.38 / 3GPP TS 23.038).

A text made only of GSM-7 characters is sent 7-bit: 160 characters in one message, 153 per segment once it is
split (the concatenation header takes 7). The extension characters (^ { } \\ [ ] ~ | €) take two septets each.
Any other character (an emoji, a curly quote, Chinese) switches the whole text to UCS-2: 70 characters, 67 per
segment, counted in UTF-16 code units (an emoji counts two)."""

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[]~|€\f")


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int  # the limit that applies: 160/153 or 70/67


def sms_length(text: str) -> SmsLength:
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        units = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SmsLength(encoding=encoding, units=units, segments=1 if units else 0, per_segment=single)
    return SmsLength(encoding=encoding, units=units, segments=-(-units // multi), per_segment=multi)
