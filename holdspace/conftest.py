from __future__ import annotations

import pytest
from django.test import Client

from holdspace.accounts.models import User
from holdspace.testing import make_user, sign_in


@pytest.fixture
def user(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def admin(db: None) -> User:
    return make_user("ada", is_instance_admin=True)


@pytest.fixture
def signed_in(client: Client, user: User) -> Client:
    sign_in(client, user)
    return client


@pytest.fixture
def admin_client(client: Client, admin: User) -> Client:
    sign_in(client, admin)
    return client
