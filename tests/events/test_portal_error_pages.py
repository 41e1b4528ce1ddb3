"""The friendly error pages (djbiz/views.py renders them with the site layout)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from accounts.models import BusinessProfile
from djbiz import views


def test_404_page_has_the_layout_and_a_way_back(client, db):
    BusinessProfile.objects.create(name="Nightfall Sound")
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn’t find that page" in html
    assert "Nightfall Sound" in html
    assert 'href="/accounts/login/"' in html


def test_404_page_for_a_logged_in_client_links_to_their_events(client, client_a):
    client.force_login(client_a.user)
    html = client.get("/no/such/page/").content.decode()
    assert "Back to my events" in html
    assert ">My events</a>" in html


def test_403_page_renders(rf, db):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = views.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "You can’t open this page" in response.content.decode()


def _unusable():
    raise AssertionError("the 500 page must not read the user, the session or messages")


def test_500_page_renders_without_the_database_user_or_session():
    """No `db` fixture: any query fails the test, as do the lazy user and messages below."""
    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(_unusable)
    request._messages = SimpleLazyObject(_unusable)
    response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "/static/css/app.css" in html
