"""Creating, deactivating and reactivating accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import ngettext

from holdspace.accounts import auth
from holdspace.accounts.models import User
from holdspace.accounts.signals import DeactivationRefused, account_deactivated
from holdspace.audit import services as audit
from holdspace.vault import accounts as vault_accounts
from holdspace.vault.models import Compartment, Grant


def create_account(username: str, password: str, **extra: Any) -> tuple[User, bytes]:
    """A new account with its key pair; returns it with its private key."""
    with transaction.atomic():
        user = User.objects.create_user(username, password, **extra)
        private = vault_accounts.create_keys(user, password)
    return user, private


@dataclass(frozen=True)
class KeyHolding:
    """How many groups' keys an account holds, and of how many it is the
    only holder (so that the group's texts would be lost without it, S10).
    Counts only: administrators see no process."""

    groups: int
    sole_holder: int


def key_holding(user: User) -> KeyHolding:
    current = Grant.objects.filter(
        compartment__kind=Compartment.Kind.GROUP, version=F("compartment__version")
    )
    held = set(current.filter(user=user).values_list("compartment_id", flat=True))
    shared = set(
        current.filter(compartment_id__in=held)
        .exclude(user=user)
        .values_list("compartment_id", flat=True)
    )
    return KeyHolding(groups=len(held), sole_holder=len(held - shared))


def deactivate(account: User, *, by: User) -> None:
    """Deactivate ``account`` like removing it from every group at once: its
    memberships end (the receivers of ``account_deactivated``), its grants go,
    each group's key moves on, its sessions end, and it can no longer log in.
    Coming back means being invited to each group again.

    Raises DeactivationRefused, changing nothing, if the account is the only
    holder of some group's key: deactivating it would make that group's
    texts unreadable for good (S10).
    """
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        sole = key_holding(account).sole_holder
        if sole:
            raise DeactivationRefused(
                ngettext(
                    "This account is the only one that holds the key of %(count)d group. "
                    "Deactivating it now would make that group's texts unreadable for good, "
                    "so nothing was changed.",
                    "This account is the only one that holds the keys of %(count)d groups. "
                    "Deactivating it now would make those groups' texts unreadable for good, "
                    "so nothing was changed.",
                    sole,
                )
                % {"count": sole}
            )
        account_deactivated.send(sender=User, user=account, by=by)
        account.is_active = False
        account.save(update_fields=["is_active"])
        auth.end_sessions(account)
        audit.log("account.deactivated", user=by, target=account)


def reactivate(account: User, *, by: User) -> None:
    """Let a deactivated account log in again. It reaches no process until
    someone invites it to a group again."""
    with transaction.atomic():
        account.is_active = True
        account.save(update_fields=["is_active"])
        audit.log("account.reactivated", user=by, target=account)
