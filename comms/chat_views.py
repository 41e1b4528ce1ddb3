"""The portal chat's pages: the client's (/portal/chat/) and staff's view of a client's thread
(/inbox/clients/<uuid>/chat/). Both show the thread, mark it read for the viewer's side, and take a message by a
plain form POST, so they work without JavaScript; static/js/chat.js makes them live over the websocket."""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from comms.models import ChatSide
from comms.services.chat import chat_client_for, chat_mark_read, chat_post, chat_thread, side_of
from comms.services.chat_presence import side_online
from comms.services.threads import client_conversation
from djbiz.errors import DomainError
from djbiz.permissions import staff_only
from events.models import Client


@login_required
@require_http_methods(["GET", "POST"])
def portal_chat(request: HttpRequest) -> HttpResponse:
    if request.user.is_business:
        return redirect("comms:inbox")
    client = chat_client_for(request.user)
    if client is None:
        raise Http404
    return _chat_page(request, client, "comms/chat/portal_chat.html", reverse("comms:portal-chat"))


@staff_only
@require_http_methods(["GET", "POST"])
def staff_chat(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    client = get_object_or_404(Client, uuid=client_uuid)
    return _chat_page(request, client, "comms/chat/staff_chat.html", reverse("comms:staff-chat", args=[client.uuid]))


def _chat_page(request: HttpRequest, client: Client, template: str, url: str) -> HttpResponse:
    error, draft, status = "", "", 200
    if request.method == "POST":
        try:
            chat_post(client=client, author=request.user, body=request.POST.get("body", ""))
        except DomainError as refused:
            error, draft, status = refused.message, request.POST.get("body", ""), refused.http_status
        else:
            return redirect(f"{url}#chat-end")
    side = side_of(request.user)
    lines = chat_thread(client=client)
    if lines:
        chat_mark_read(client=client, side=side, up_to=lines[-1].id)
    other = ChatSide.STAFF if side == ChatSide.CLIENT else ChatSide.CLIENT
    conversation = client_conversation(client=client)
    context = {
        "client": client,
        "lines": lines,
        "side": side,
        "other_online": side_online(client_id=client.pk, side=other),
        "event": conversation.event if conversation else None,
        "error": error,
        "draft": draft,
        "max_length": settings.CHAT_MAX_LENGTH,
        "socket_path": "/ws/chat/" if side == ChatSide.CLIENT else f"/ws/chat/{client.uuid}/",  # comms/routing.py
    }
    return render(request, template, context, status=status)
