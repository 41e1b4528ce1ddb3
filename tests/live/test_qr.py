"""/e/<slug>/qr.svg, /e/<slug>/qr.png and the printable table card /e/<slug>/card/."""

import io

import pytest
import segno
from PIL import Image

from events import qr
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://party.example.com"


def page_url(event) -> str:
    return f"https://party.example.com/e/{event.slug}/"


def test_the_png_draws_the_qr_code_of_the_guest_page(event_a, client, site):
    answer = client.get(f"/e/{event_a.slug}/qr.png")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert "max-age=86400" in answer["Cache-Control"]
    assert answer.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(answer.content)).convert("1")
    matrix = segno.make(page_url(event_a), error="m").matrix
    side = len(matrix) + 2 * qr.BORDER
    assert image.size == (side * qr.SCALE, side * qr.SCALE)
    # Read the image back module by module (the centre pixel of each) and compare with the expected code.
    drawn = [
        [
            image.getpixel(((qr.BORDER + x) * qr.SCALE + qr.SCALE // 2, (qr.BORDER + y) * qr.SCALE + qr.SCALE // 2))
            == 0
            for x in range(len(row))
        ]
        for y, row in enumerate(matrix)
    ]
    assert drawn == [[bool(module) for module in row] for row in matrix]


def test_the_svg_is_the_code_of_the_guest_page(event_a, client, site):
    answer = client.get(f"/e/{event_a.slug}/qr.svg")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in answer["Cache-Control"]
    svg = answer.content.decode()
    assert svg.startswith("<?xml")
    assert f"<title>{page_url(event_a)}</title>" in svg
    expected = io.BytesIO()
    segno.make(page_url(event_a), error="m").save(expected, kind="svg", scale=qr.SCALE, border=qr.BORDER)
    path = expected.getvalue().decode().split(' d="')[1].split('"')[0]
    assert f' d="{path}"' in svg
    other = client.get(f"/e/{EventFactory().slug}/qr.svg").content.decode()
    assert f' d="{path}"' not in other


def test_the_table_card_shows_the_code_title_and_address(event_a, client, site):
    answer = client.get(f"/e/{event_a.slug}/card/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'src="/e/{event_a.slug}/qr.svg"' in html
    assert "Request a song" in html
    assert event_a.title.replace("&", "&amp;") in html
    assert page_url(event_a) in html
    assert "@media print" in html


def test_unknown_and_cancelled_events_have_no_code(db, client):
    cancelled = EventFactory(status="cancelled")
    for slug in ("no-such-party", cancelled.slug):
        for suffix in ("qr.svg", "qr.png", "card/"):
            assert client.get(f"/e/{slug}/{suffix}").status_code == 404
