"""The staff inbox page (/inbox/): thin views over comms/services/inbox.py."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from comms.services.inbox import inbox_threads, reply_dismiss, reply_send
from djbiz.errors import DomainError
from djbiz.permissions import staff_only


@staff_only
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    threads = inbox_threads()
    waiting = sum(1 for thread in threads if thread.open)
    return render(request, "comms/inbox.html", {"threads": threads, "waiting": waiting})


@staff_only
@require_POST
def send_reply(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        reply = reply_send(
            message_id=pk,
            body=request.POST.get("body", ""),
            subject=request.POST.get("subject", ""),
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if reply.outbox_id:
            messages.success(request, f"Reply to {reply.in_reply_to.sender} queued to send.")
        else:
            messages.success(request, f"Reply to {reply.conversation.party} posted in the chat.")
    return redirect("comms:inbox")


@staff_only
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    if reply_dismiss(message_id=pk):
        messages.info(request, "Dismissed: no reply needed.")
    return redirect("comms:inbox")
