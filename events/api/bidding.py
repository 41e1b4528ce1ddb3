"""Bidding API of the live night. Guests (anonymous, identified by events.guests) read the open round and bid;
staff open and close bidding and settle pledges and refunds. Views parse, call one service and present."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from djbiz.api import IsBusiness
from events import services
from events.api.bidding_serializers import (
    BidCreateSerializer,
    BiddingSwitchSerializer,
    BidSerializer,
    CardPaymentSerializer,
    RoundSerializer,
)
from events.api.live import GuestAPIView
from events.bidding_selectors import open_round_summary
from events.models import Bid, Event
from events.selectors import events_visible_to
from events.signals import bid_payment_required
from events.status import BidPayment


class RoundView(GuestAPIView):
    @extend_schema(responses={200: RoundSerializer}, summary="The open bidding round (404 when bidding is closed)")
    def get(self, request, slug: str):
        summary = open_round_summary(self.event)
        if summary is None:
            raise NotFound("Bidding is closed.")
        return Response(RoundSerializer(summary).data)


class BidCreateView(GuestAPIView):
    @extend_schema(
        request=BidCreateSerializer,
        responses={201: BidSerializer, 200: BidSerializer},
        summary="Bid on a request in the open round (200: the bid a retry of this client_request_id made)",
        description="In Stripe mode the answer also carries `stripe`: {status, client_secret, publishable_key}.",
    )
    def post(self, request, slug: str):
        data = BidCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bid, created = services.bid_place(event=self.event, guest_id=self.guest.id, **data.validated_data)
        body = BidSerializer(bid).data
        if bid.payment != BidPayment.PLEDGE and services.card_payments_enabled():
            body["stripe"] = CardPaymentSerializer(_card_payment(bid)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _card_payment(bid: Bid) -> dict:
    """Billing starts (or finds again) the bid's PaymentIntent; the bid is committed by now, no lock is held."""
    for _receiver, answer in bid_payment_required.send(sender=Bid, bid_id=bid.pk):
        if answer:
            return {"status": Bid.objects.values_list("payment", flat=True).get(pk=bid.pk), **answer}
    raise RuntimeError("Stripe keys are set but no receiver of bid_payment_required answered (is billing installed?)")


class StaffView(APIView):
    permission_classes = [IsAuthenticated, IsBusiness]

    def staff_event(self, slug: str) -> Event:
        return get_object_or_404(events_visible_to(self.request.user), slug=slug)


class BiddingSwitchView(StaffView):
    @extend_schema(request=BiddingSwitchSerializer, responses={200: RoundSerializer}, summary="Open or close bidding")
    def post(self, request, slug: str):
        event = self.staff_event(slug)
        data = BiddingSwitchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        switch = services.bidding_open if data.validated_data["open"] else services.bidding_close
        live = switch(actor=request.user, event=event)
        summary = open_round_summary(event)
        return Response({"bidding_open": live.bidding_open, "round": summary and RoundSerializer(summary).data})


class BidPaidView(StaffView):
    @extend_schema(request=None, responses={200: BidSerializer}, summary="A winning pledge was paid at the booth")
    def post(self, request, slug: str, bid_id):
        bid = get_object_or_404(Bid, pk=bid_id, round__event=self.staff_event(slug))
        return Response(BidSerializer(services.bid_mark_paid(actor=request.user, bid=bid)).data)


class BidRefundView(StaffView):
    @extend_schema(
        request=None,
        responses={200: BidSerializer, 202: BidSerializer},
        summary="Refund a winning bid whose song was not played (202: a card refund is on its way)",
    )
    def post(self, request, slug: str, bid_id):
        bid = services.bid_refund(
            actor=request.user, bid=get_object_or_404(Bid, pk=bid_id, round__event=self.staff_event(slug))
        )
        done = bid.payment == BidPayment.REFUNDED
        return Response(BidSerializer(bid).data, status=status.HTTP_200_OK if done else status.HTTP_202_ACCEPTED)
