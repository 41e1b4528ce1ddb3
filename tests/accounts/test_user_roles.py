import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory


def test_roles_decide_admin_access(db):
    owner = UserFactory(role="owner")
    staff = UserFactory(role="staff")
    client = UserFactory(role="client")
    assert (owner.is_staff, owner.is_superuser, owner.is_business) == (True, True, True)
    assert (staff.is_staff, staff.is_superuser, staff.is_business) == (True, False, True)
    assert (client.is_staff, client.is_superuser, client.is_business) == (False, False, False)


def test_the_last_active_owner_cannot_be_demoted_or_deactivated(owner):
    owner.role = "staff"
    with pytest.raises(ValidationError, match="needs an active owner"):
        owner.full_clean()
    owner.role = "owner"
    owner.is_active = False
    with pytest.raises(ValidationError, match="needs an active owner"):
        owner.full_clean()


def test_an_owner_can_step_down_once_there_is_another(owner):
    UserFactory(role="owner")
    owner.role = "staff"
    owner.full_clean()


def test_email_is_stored_in_lower_case(db):
    assert UserFactory(email="Mixed@Example.COM").email == "mixed@example.com"
