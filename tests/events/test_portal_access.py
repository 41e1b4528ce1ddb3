"""Who may open the portal: a client sees only their own events; anyone else is sent away."""

import uuid

import pytest
from django.urls import reverse

from events.models import MusicPlan

EVENT_PAGES = ["events:portal-event", "events:portal-music-plan", "events:portal-timeline"]


@pytest.mark.parametrize("name", EVENT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_client_a_gets_404_for_client_b_event_on_every_portal_url(client, client_a, event_b, name, method):
    client.force_login(client_a.user)
    response = getattr(client, method)(reverse(name, args=[event_b.uuid]), {"genres_loved": "Hijacked"})
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()
    assert event_b.title not in response.content.decode()
    assert not MusicPlan.objects.filter(event=event_b).exists()


def test_client_a_does_not_see_client_b_event_in_the_list(client, client_a, event_a, event_b):
    client.force_login(client_a.user)
    html = client.get(reverse("events:portal")).content.decode()
    assert event_a.title.replace("&", "&amp;") in html
    assert event_b.title.replace("&", "&amp;") not in html
    assert str(event_b.uuid) not in html


@pytest.mark.parametrize("name", EVENT_PAGES)
def test_a_made_up_event_id_is_a_404(client, client_a, name):
    client.force_login(client_a.user)
    assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404


def test_a_malformed_event_id_is_a_404(client, client_a):
    client.force_login(client_a.user)
    assert client.get("/portal/events/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("name", ["events:portal", *EVENT_PAGES])
def test_anonymous_visitors_are_sent_to_the_login_page(client, event_a, name):
    url = reverse(name) if name == "events:portal" else reverse(name, args=[event_a.uuid])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_anonymous_post_changes_nothing(client, event_a):
    response = client.post(reverse("events:portal-music-plan", args=[event_a.uuid]), {"genres_loved": "x"})
    assert response.status_code == 302
    assert not MusicPlan.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "staff_dj"])
@pytest.mark.parametrize("name", ["events:portal", *EVENT_PAGES])
def test_staff_are_sent_to_the_admin(client, request, event_a, persona, name):
    client.force_login(request.getfixturevalue(persona))
    url = reverse(name) if name == "events:portal" else reverse(name, args=[event_a.uuid])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_an_inactive_client_is_logged_out_of_the_portal(client, client_a, event_a):
    client.force_login(client_a.user)
    client_a.user.is_active = False
    client_a.user.save()
    response = client.get(reverse("events:portal-event", args=[event_a.uuid]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
