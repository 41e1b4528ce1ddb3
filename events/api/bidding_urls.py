"""Bidding API of the live night: the open round and bids."""

urlpatterns: list = []
