"""Provider webhooks of billing (Stripe)."""

from django.urls import path

from billing import webhooks

urlpatterns = [path("stripe/", webhooks.stripe_webhook, name="stripe-webhook")]
