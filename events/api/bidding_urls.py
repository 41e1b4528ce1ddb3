"""Bidding API of the live night: the open round and bids."""

from django.urls import path

from events.api import bidding

urlpatterns = [
    path("events/<slug:slug>/round/", bidding.RoundView.as_view(), name="api-event-round"),
    path("events/<slug:slug>/bids/", bidding.BidCreateView.as_view(), name="api-event-bids"),
    path("events/<slug:slug>/bidding/", bidding.BiddingSwitchView.as_view(), name="api-event-bidding"),
    path("events/<slug:slug>/bids/<uuid:bid_id>/paid/", bidding.BidPaidView.as_view(), name="api-event-bid-paid"),
    path("events/<slug:slug>/bids/<uuid:bid_id>/refund/", bidding.BidRefundView.as_view(), name="api-event-bid-refund"),
]
