"""Stripe's webhook endpoint: verify the signature, store the event by its id, handle it once."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing import stripe_gateway
from billing.services import webhook_receive


@csrf_exempt  # Stripe signs the body instead
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    try:
        event = stripe_gateway.webhook_event(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except stripe_gateway.BadWebhook as error:
        return JsonResponse({"detail": str(error)}, status=400)
    handled = webhook_receive(event=event)
    return JsonResponse({"received": True, "duplicate": not handled})
