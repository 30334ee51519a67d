"""API tokens and clients that send them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mamori.accounts.models import User
from mamori.api import services
from mamori.core.actor import acting_as


class TokenClient(Client):
    """A client that authenticates every request with an API token, as a script does."""

    def __init__(self, key: str, **defaults: object):
        super().__init__(HTTP_AUTHORIZATION=f"Token {key}", **defaults)

    def post_json(self, path: str, data: object) -> object:
        return self.post(path, data, content_type="application/json")

    def patch_json(self, path: str, data: object) -> object:
        return self.patch(path, data, content_type="application/json")


@pytest.fixture
def token_for() -> Callable[[User], str]:
    """Return a new API token's key for the given user."""

    def create(user: User, name: str = "script") -> str:
        with acting_as(user):
            return services.token_create(user=user, name=name).key

    return create


@pytest.fixture
def api(token_for) -> Callable[[User], TokenClient]:
    """Return a client authenticated with a fresh API token of the given user."""

    def client(user: User) -> TokenClient:
        return TokenClient(token_for(user))

    return client
