"""Personas every test can ask for: owner, staff DJ, client A, client B, an anonymous guest."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ClientFactory, EventFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate-limit counters and cached values never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    return UserFactory(role="owner", email="owner@example.com", full_name="Olivia Owner")


@pytest.fixture
def staff_dj(db):
    return UserFactory(role="staff", email="dj@example.com", full_name="Dana DJ")


@pytest.fixture
def client_a(db):
    return ClientFactory(name="Alice & Alex", user=UserFactory(role="client", email="alice@example.com"))


@pytest.fixture
def client_b(db):
    return ClientFactory(name="Bea & Ben", user=UserFactory(role="client", email="bea@example.com"))


@pytest.fixture
def event_a(client_a):
    return EventFactory(client=client_a, title="Alice & Alex wedding")


@pytest.fixture
def event_b(client_b):
    return EventFactory(client=client_b, title="Bea & Ben wedding")


def _api_client_for(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


@pytest.fixture
def api_for():
    """api_for(user) -> an APIClient authenticated as that user (None: anonymous)."""
    return _api_client_for
