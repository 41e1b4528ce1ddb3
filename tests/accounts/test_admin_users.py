"""Logins and the business profile in the admin: the owner's alone; e-mail based; one profile, never deleted."""

from django.contrib.auth.models import Permission
from django.test import Client as Browser
from django.urls import reverse

from accounts.models import BusinessProfile, User
from tests.factories import UserFactory

USERS = reverse("admin:accounts_user_changelist")
ADD_USER = reverse("admin:accounts_user_add")


def _browser(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def test_the_owner_adds_a_staff_dj_by_e_mail(owner):
    response = _browser(owner).post(
        ADD_USER,
        {
            "email": "New.DJ@Example.com",
            "full_name": "Nia New",
            "role": "staff",
            "usable_password": "true",
            "password1": "spin the decks 42",
            "password2": "spin the decks 42",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new.dj@example.com")
    assert (user.role, user.is_staff, user.is_superuser) == ("staff", True, False)
    assert user.check_password("spin the decks 42")


def test_a_client_login_can_be_made_without_a_password(owner):
    response = _browser(owner).post(
        ADD_USER, {"email": "guest@example.com", "role": "client", "usable_password": "false"}
    )
    assert response.status_code == 302
    assert not User.objects.get(email="guest@example.com").has_usable_password()


def test_an_address_differing_only_in_case_is_refused_as_taken(owner, staff_dj):
    response = _browser(owner).post(ADD_USER, {"email": "DJ@Example.com", "role": "staff", "usable_password": "false"})
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors["email"])


def test_the_owner_sets_a_password_with_the_standard_form(owner, staff_dj):
    browser = _browser(owner)
    url = reverse("admin:auth_user_password_change", args=[staff_dj.pk])
    change_page = browser.get(reverse("admin:accounts_user_change", args=[staff_dj.pk])).content.decode()
    assert "../password/" in change_page
    assert browser.get(url).status_code == 200
    response = browser.post(url, {"password1": "a brand new secret", "password2": "a brand new secret"})
    assert response.status_code == 302
    staff_dj.refresh_from_db()
    assert staff_dj.check_password("a brand new secret")


def test_staff_djs_cannot_see_or_change_logins_even_with_a_granted_permission(staff_dj, client_a):
    staff_dj.user_permissions.add(Permission.objects.get(codename="change_user"))
    browser = _browser(staff_dj)
    assert browser.get(USERS).status_code == 403
    assert browser.get(reverse("admin:accounts_user_change", args=[client_a.user.pk])).status_code == 403
    assert browser.get(reverse("admin:auth_user_password_change", args=[client_a.user.pk])).status_code == 403


def test_clients_never_get_into_the_admin(client_a):
    response = _browser(client_a.user).get(reverse("admin:index"))
    assert response.status_code == 302


def test_the_login_picker_on_a_client_offers_client_logins_only(owner, client_a, staff_dj):
    UserFactory(role="client", email="carol@example.com")
    response = _browser(owner).get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "client", "field_name": "user", "term": ""},
    )
    offered = {int(row["id"]) for row in response.json()["results"]}
    assert offered == set(User.objects.filter(role="client").values_list("pk", flat=True))
    assert staff_dj.pk not in offered


def test_the_business_profile_is_a_singleton(owner):
    browser = _browser(owner)
    add = reverse("admin:accounts_businessprofile_add")
    assert browser.get(add).status_code == 200
    BusinessProfile(name="Night Owl Entertainment").save()
    assert browser.get(add).status_code == 403
    assert browser.get(reverse("admin:accounts_businessprofile_delete", args=[1])).status_code == 403
    assert browser.get(reverse("admin:accounts_businessprofile_change", args=[1])).status_code == 200


def test_the_owner_edits_the_business_profile(owner):
    BusinessProfile(name="Night Owl Entertainment").save()
    response = _browser(owner).post(
        reverse("admin:accounts_businessprofile_change", args=[1]),
        {
            "name": "Night Owl Entertainment",
            "currency": "usd",
            "time_zone": "America/Chicago",
            "tax_name": "Sales tax",
            "tax_rate": "8.875",
            "client_edit_cutoff_days": "7",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile = BusinessProfile.current()
    assert (profile.currency, profile.time_zone, str(profile.tax_rate)) == ("USD", "America/Chicago", "8.875")
