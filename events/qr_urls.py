"""The guest page's QR code and printable table card, beside the page itself (/e/<slug>/)."""

from django.urls import path

from events import qr_views

app_name = "events_qr"

urlpatterns = [
    path("e/<slug:slug>/qr.svg", qr_views.qr_svg, name="svg"),
    path("e/<slug:slug>/qr.png", qr_views.qr_png, name="png"),
    path("e/<slug:slug>/card/", qr_views.table_card, name="card"),
]
