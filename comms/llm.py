"""Optional polish of a drafted reply by an LLM: any OpenAI-compatible chat completions endpoint
(settings.LLM_API_BASE, LLM_API_KEY, LLM_MODEL). Best effort: when it is not configured, slow, down or answers
anything unexpected, the caller keeps the template draft. The endpoint comes from the operator's environment,
never from a message."""

import logging

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

INSTRUCTIONS = (
    "You polish e-mail and SMS replies for a DJ business. Rewrite the draft reply so it reads naturally and warmly, "
    "answering the client's message. Keep every fact of the draft (dates, availability, prices, names) exactly; "
    "add no facts, promises or prices of your own; keep it about as short. Answer with the reply text only."
)


def llm_configured() -> bool:
    return bool(settings.LLM_API_BASE)


def draft_polish(*, draft: str, message_text: str) -> str | None:
    """The polished draft, or None (not configured, or any failure: logged, never raised)."""
    if not llm_configured():
        return None
    headers = {"Authorization": f"Bearer {settings.LLM_API_KEY}"} if settings.LLM_API_KEY else {}
    payload = {
        "model": settings.LLM_MODEL,
        "temperature": 0.3,
        "messages": [
            {"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": f"Client's message:\n{message_text[:4000]}\n\nDraft reply:\n{draft}"},
        ],
    }
    try:
        response = requests.post(
            f"{settings.LLM_API_BASE}/chat/completions",
            json=payload,
            headers=headers,
            timeout=settings.LLM_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        response.raise_for_status()
        text = response.json()["choices"][0]["message"]["content"]
    except (requests.RequestException, ValueError, KeyError, IndexError, TypeError) as error:
        logger.warning("LLM polish failed, keeping the template draft", extra={"error": repr(error)[:300]})
        return None
    if not isinstance(text, str) or not text.strip():
        return None
    return text.strip()
