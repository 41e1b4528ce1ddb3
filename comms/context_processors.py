from django.utils.functional import SimpleLazyObject

from comms.models import ChatSide
from comms.services.chat import chat_client_for, chat_unread_count, chat_unread_for_staff


def chat(request):
    """The header's unread badge, counted only when a page shows it (so a page that does not, such as the 500
    page, reads neither the user nor the database): for a client, the chat messages they have not read; for staff,
    the clients' messages nobody has read."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        if user.is_business:
            return chat_unread_for_staff()
        client = chat_client_for(user)
        return chat_unread_count(client=client, side=ChatSide.CLIENT) if client else 0

    return {"chat_unread": SimpleLazyObject(count)}
