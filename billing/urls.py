"""Provider webhooks of billing (Stripe)."""

urlpatterns: list = []
