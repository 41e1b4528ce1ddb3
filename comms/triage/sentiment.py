"""Sentiment with VADER (vaderSentiment, MIT; its lexicons ship inside the package and are read from disk, so
scoring never touches the network) and urgency from the facts found.

- sentiment: "positive" when VADER's compound score is >= 0.05, "negative" when <= -0.05, else "neutral" (the
  thresholds VADER's authors recommend).
- urgency: "high" for urgent words (ASAP, urgent, emergency, tonight, today, tomorrow, last minute), an event
  within URGENT_DAYS of the message, or a complaint with negative sentiment; "low" for thanks and other
  messages (nothing to answer about a booking); "normal" otherwise."""

import datetime as dt
import re

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
URGENT_DAYS = 14
SCORED_CHARS = 2_000

_analyzer = SentimentIntensityAnalyzer()
_URGENT = re.compile(
    r"\b(?:asap|urgent|urgently|emergency|immediately|right away|as soon as possible|tonight|today|tomorrow|"
    r"last[- ]minute|time[- ]sensitive)\b",
    re.IGNORECASE,
)


def compound_score(text: str) -> float:
    """VADER's compound score of the first SCORED_CHARS: VADER's time grows with the square of the words."""
    return _analyzer.polarity_scores(text[:SCORED_CHARS])["compound"]


def sentiment_label(compound: float) -> str:
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def urgency(*, text: str, intent: str, sentiment: str, event_date: dt.date | None, received: dt.date) -> str:
    if _URGENT.search(text):
        return "high"
    if event_date is not None and 0 <= (event_date - received).days <= URGENT_DAYS:
        return "high"
    if intent == "complaint" and sentiment == "negative":
        return "high"
    if intent in ("thanks", "other"):
        return "low"
    return "normal"
