"""Guest API of the live night: queue, requests, votes (and the staff actions on them)."""

urlpatterns: list = []
