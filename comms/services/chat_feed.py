"""The chat's live group: one Channels group per client, read by the pages of both sides (the client's portal chat
and staff on the client's thread) through the process's fan-out hub (events/fanout.py). Each change is encoded to
JSON once and sent after its transaction commits; a lost message is a hint lost, not data (pages that reconnect
ask for what they missed)."""

import json

from django.db import transaction

from events.feed import send_to_group


def chat_group(client_id: int) -> str:
    return f"chat-{client_id}"


def chat_send_on_commit(*, client_id: int, payload: dict) -> None:
    text = json.dumps(payload, separators=(",", ":"))
    transaction.on_commit(lambda: send_to_group(chat_group(client_id), text))
