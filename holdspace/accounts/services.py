"""What happens to accounts: creating, passwords and recovery keys, sessions,
invitations and reset links, deactivating and reactivating. Views call one
of these; each is one transaction with its audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

from holdspace.accounts import auth
from holdspace.accounts.models import Invitation, User
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


# Passwords, recovery keys and sessions -------------------------------------


def change_password(user: User, private: bytes, new_password: str) -> None:
    """A new password; the private key stays the same, only its wrapping changes."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        vault_accounts.change_password(user, private, new_password)
        audit.log("account.password_changed", user=user, target=user)


def recover(user: User, private: bytes, new_password: str) -> None:
    """A forgotten password, with the recovery key: everything stays readable
    (S8); every session of the account ends."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        vault_accounts.change_password(user, private, new_password)
        auth.end_sessions(user)
        audit.log("account.recovered", user=user, target=user)


def set_recovery_key(user: User, private: bytes, recovery_key: str) -> None:
    with transaction.atomic():
        vault_accounts.save_recovery_key(user, private, recovery_key)
        audit.log("account.recovery_key_set", user=user, target=user)


def end_other_sessions(user: User, *, keep: str | None) -> int:
    """Log the account out everywhere but in session ``keep``; how many ended."""
    count = auth.end_sessions(user, keep=keep)
    audit.log("account.sessions_ended", user=user, target=user)
    return count


# Invitations and reset links (administrators) ------------------------------


def invite(
    *, by: User, grants_instance_admin: bool, grants_process_start: bool
) -> tuple[Invitation, str]:
    """A single-use link for a new account; returns it with its token."""
    with transaction.atomic():
        invitation, token = Invitation.issue(
            Invitation.Kind.ACCOUNT,
            created_by=by,
            grants_instance_admin=grants_instance_admin,
            grants_process_start=grants_process_start,
        )
        audit.log("invitation.created", user=by, target=invitation)
    return invitation, token


def revoke_invitation(invitation_id: Any, *, by: User) -> bool:
    """Withdraw a usable invitation; False when there was none to withdraw."""
    with transaction.atomic():
        changed = (
            Invitation.objects.usable().filter(pk=invitation_id).update(revoked_at=timezone.now())
        )
        if changed:
            audit.log("invitation.revoked", user=by)
    return bool(changed)


def reset_link(account: User, *, by: User, resets_two_factor: bool) -> tuple[Invitation, str]:
    """A single-use link that sets a new password for ``account``."""
    with transaction.atomic():
        invitation, token = Invitation.issue(
            Invitation.Kind.RESET,
            created_by=by,
            account=account,
            resets_two_factor=resets_two_factor,
        )
        audit.log("account.reset_link_created", user=by, target=account)
    return invitation, token


def allow_process_start(account: User, *, allow: bool, by: User) -> None:
    """Whether ``account`` may start processes (administrators always may).
    The same request twice changes, and audits, once."""
    with transaction.atomic():
        changed = User.objects.filter(pk=account.pk).exclude(may_start_processes=allow)
        if changed.update(may_start_processes=allow):
            action = "account.process_start_allowed" if allow else "account.process_start_ended"
            audit.log(action, user=by, target=account)


def accept_invitation(
    invitation: Invitation, *, username: str, password: str
) -> tuple[User, bytes] | None:
    """The new account an invitation link makes, with its private key; None
    when the link was used meanwhile (two tabs must not both use it)."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().usable().filter(pk=invitation.pk)
        if not locked.exists():
            return None
        user, private = create_account(
            username,
            password,
            is_instance_admin=invitation.grants_instance_admin,
            may_start_processes=invitation.grants_process_start,
        )
        locked.update(used_at=timezone.now(), account=user)
        audit.log("invitation.used", user=user, target=invitation)
        audit.log("account.created", user=user, target=user)
    return user, private


def reset_password(invitation: Invitation, user: User, new_password: str) -> bool:
    """Use a reset link: a new password and, since the old private key is out
    of reach without the recovery key, a new key pair (members restore access
    to what was shared). False when the link was used meanwhile."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().usable().filter(pk=invitation.pk)
        if not locked.exists():
            return False
        user.set_password(new_password)
        user.save(update_fields=["password"])
        vault_accounts.replace_keys(user, new_password)
        if invitation.resets_two_factor:
            auth.remove_second_factors(user)
        locked.update(used_at=timezone.now())
        auth.end_sessions(user)
        audit.log("account.password_reset", user=user, target=user)
    return True
