"""Creating accounts: the account and its key pair, together or not at all."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from holdspace.accounts.models import User
from holdspace.vault import accounts as vault_accounts


def create_account(username: str, password: str, **extra: Any) -> tuple[User, bytes]:
    """A new account with its key pair; returns it with its private key."""
    with transaction.atomic():
        user = User.objects.create_user(username, password, **extra)
        private = vault_accounts.create_keys(user, password)
    return user, private
