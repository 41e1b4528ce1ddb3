"""Triage of inbound messages (intent, sentiment, urgency, the event's facts, a drafted reply) without the
database: `triage(InboundMessage(...)) -> Triage`. See pipeline.py."""

from comms.triage.pipeline import InboundMessage, Triage, triage

__all__ = ["InboundMessage", "Triage", "triage"]
