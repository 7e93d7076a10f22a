"""Receivers that keep processes in step with account changes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from holdspace.accounts.models import User
from holdspace.accounts.signals import account_deactivated
from holdspace.processes import services
from holdspace.processes.models import Membership
from holdspace.vault import compartments
from holdspace.vault.accounts import keys_replaced
from holdspace.vault.models import Compartment, PendingGrant


@receiver(keys_replaced)
def ask_members_to_restore_access(sender: Any, user: User, **kwargs: Any) -> None:
    """An account reset without its recovery key waits, in each of its groups,
    for a member to restore its access deliberately (S8)."""
    groups = Membership.objects.current().filter(user=user).values_list("group_id", flat=True)
    for compartment in Compartment.objects.filter(group_id__in=list(groups)):
        compartments.wait_for_grant(compartment, user, PendingGrant.Reason.RESET)


@receiver(account_deactivated)
def end_memberships_of_deactivated_account(
    sender: Any, user: User, by: User, **kwargs: Any
) -> None:
    """An administrator deactivated the account: it leaves every group as if
    removed, and each group's key moves on (S9). Raises
    accounts.signals.DeactivationRefused if a group would lose its last key
    holder (S10); the deactivation then changes nothing."""
    services.end_memberships_of_deactivated_account(user, by=by)
