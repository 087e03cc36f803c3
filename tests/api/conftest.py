"""Fixtures of the API tests: token clients for personas and for the provincial-sync client."""

import pytest
from api_rows import value_row
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chuxiong_portal.services import sync_client_create


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; tests must not inherit each other's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def token_client():
    """An API client authenticated with a user's token (created on demand)."""

    def make(user):
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def sync_user(plan):
    user, _key = sync_client_create(name="province-stats")
    return user


@pytest.fixture
def sync(sync_user):
    """The provincial-sync machine client."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=sync_user).key}")
    return client


@pytest.fixture
def office(olga, token_client):
    return token_client(olga)


@pytest.fixture
def row():
    return value_row


def post_values(client, rows, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"/api/v1/indicator-values/bulk/{'?' + query if query else ''}", rows, format="json")


def post_rankings(client, rows, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"/api/v1/rankings/bulk/{'?' + query if query else ''}", rows, format="json")


@pytest.fixture
def push_values():
    return post_values


@pytest.fixture
def push_rankings():
    return post_rankings
