"""Memberships: invitations, joining, confirmations, leaving and removal
(with their keys, S9), coordination, and an account deactivated."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts import auth
from holdspace.accounts.models import User
from holdspace.accounts.services import create_account
from holdspace.audit import services as audit
from holdspace.processes import writes
from holdspace.processes.models import (
    Event,
    Group,
    GroupInvitation,
    Membership,
    Party,
    Record,
)
from holdspace.processes.services.common import (
    Refused,
    _audit,
    _event,
    _save_versioned,
    _today,
    seal_into_link,
    withdraw_link,
)
from holdspace.vault import compartments as vault
from holdspace.vault.keyring import KeyUnavailable
from holdspace.vault.keyring import current as keyring

R = TypeVar("R", bound=Record)

# Memberships -------------------------------------------------------------


def invite(group: Group, *, by: User, role: str, note: str) -> tuple[GroupInvitation, str]:
    with transaction.atomic():
        invitation, token = GroupInvitation.issue(group, created_by=by, role=role, note=note)
        seal_into_link(invitation, group.compartment, token)
        _audit("group_invitation.created", by=by, target=invitation, group=group)
    return invitation, token


def revoke_invitation(invitation: GroupInvitation, *, by: User) -> None:
    with transaction.atomic():
        if withdraw_link(invitation):
            _audit("group_invitation.revoked", by=by, target=invitation, group=invitation.group)


def needs_confirmation(group: Group, conflict_of_interest: str) -> bool:
    """In a contact group, a declared conflict of interest (e.g. being a close
    friend of the person who caused harm) needs a coordinator's confirmation."""
    return group.kind == Group.Kind.CONTACT and bool(conflict_of_interest.strip())


def join(
    token: str,
    user: User,
    *,
    commitment_until: datetime.date | None,
    capacity_note: str,
    conflict_of_interest: str,
) -> Membership:
    """Use an invitation. Raises Refused if it is no longer usable or the
    account already belongs to the group (the invitation stays unused)."""
    with transaction.atomic():
        invitation = GroupInvitation.find_usable(token)
        if invitation is None:
            raise Refused(_("This invitation cannot be used any more."))
        invitation = GroupInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise Refused(_("This invitation cannot be used any more."))
        group = invitation.group
        if Membership.objects.current().filter(group=group, user=user).exists():
            raise Refused(_("You are already in this group. The invitation was not used."))
        if Party.objects.filter(process_id=group.process_id, account=user).exists():
            # Parties read through their own pages only (S44).
            raise Refused(
                _(
                    "This account belongs to one of the two people the process is about, "
                    "so it cannot join the process's groups. The invitation was not used."
                )
            )
        pending = needs_confirmation(group, conflict_of_interest)
        # The link carries the group's key: with it the newcomer's notes are
        # encrypted, and (unless a coordinator must confirm first) it is theirs.
        if invitation.sealed_key is None:
            raise Refused(_("This invitation cannot be used any more."))
        vault.open_invitation(
            keyring(),
            bytes(invitation.sealed_key),
            group.compartment,
            invitation.pk,
            token,
            user=None if pending else user,
        )
        if keyring().data_key(group.data_key_id) is None:
            raise Refused(
                _("The group's keys changed since this link was made. Please ask for a new link.")
            )
        membership = Membership.objects.create(
            group=group,
            user=user,
            role=invitation.role,
            status=Membership.Status.PENDING if pending else Membership.Status.ACTIVE,
            commitment_until=commitment_until,
            capacity_note=capacity_note,
            conflict_of_interest=conflict_of_interest,
        )
        invitation.used_at, invitation.used_by = timezone.now(), user
        invitation.save(update_fields=["used_at", "used_by"])
        _audit("membership.added", by=user, target=membership, group=group)
        if not pending:
            _member_event(Event.Code.MEMBER_JOINED, membership, by=user)
    return membership


def _member_event(code: str, membership: Membership, *, by: User) -> None:
    group = membership.group
    _event(
        code,
        process=group.process,
        by=by,
        group=group,
        audience=[group],
        subject=membership.user,
    )


def open_invitation_for_reading(invitation: GroupInvitation, token: str) -> None:
    """Let this request read what the invitation's group key opens."""
    if invitation.sealed_key is not None:
        vault.open_invitation(
            keyring(),
            bytes(invitation.sealed_key),
            invitation.group.compartment,
            invitation.pk,
            token,
            user=None,
        )


def create_account_for_invitation(
    token: str, *, username: str, password: str
) -> tuple[User, bytes]:
    """A new account made with a group invitation link; a link makes one at most.
    The invitation itself stays unused until the new account joins."""
    with transaction.atomic():
        invitation = GroupInvitation.find_usable(token)
        if invitation is not None:
            invitation = GroupInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation is None or invitation.created_account_id is not None:
            raise Refused(_("This invitation cannot be used any more."))
        user, private = create_account(username, password)
        invitation.created_account = user
        invitation.save(update_fields=["created_account"])
        audit.log("account.created", user=user, target=user)
    return user, private


def confirm_conflict(membership: Membership, *, by: User, reason: str) -> None:
    """A coordinator lets a member with a declared conflict of interest in."""
    if membership.user_id == by.pk:
        raise Refused(_("Another coordinator has to confirm your own declaration."))
    with transaction.atomic():
        _lock_members(membership)
        if membership.status != Membership.Status.PENDING:
            raise Refused(_("This membership does not wait for a confirmation."))
        membership.status = Membership.Status.ACTIVE
        membership.conflict_confirmed_by = by
        membership.conflict_confirmation = reason
        membership.save(update_fields=["status", "conflict_confirmed_by", "conflict_confirmation"])
        vault.grant(keyring(), membership.group.compartment, membership.user)
        _audit("membership.conflict_confirmed", by=by, target=membership, group=membership.group)
        _member_event(Event.Code.MEMBER_JOINED, membership, by=by)


def update_membership(
    membership: Membership,
    *,
    by: User,
    expected_version: int,
    commitment_until: datetime.date | None,
    capacity_note: str,
    conflict_of_interest: str,
) -> str:
    """Change one's own commitment, capacity or declaration. A new or changed
    declaration in a contact group needs a coordinator's confirmation again."""
    declared = conflict_of_interest.strip() != membership.conflict_of_interest.strip()
    reconfirm = declared and needs_confirmation(membership.group, conflict_of_interest)
    if reconfirm and not _other_coordinators(membership).exists():
        raise Refused(
            _(
                "Another coordinator has to confirm this declaration, and there is none. "
                "Make someone else coordinator first."
            )
        )
    changes: dict[str, Any] = {
        "commitment_until": commitment_until,
        "capacity_note": capacity_note,
        "conflict_of_interest": conflict_of_interest,
    }
    if declared:
        changes.update(conflict_confirmed_by=None, conflict_confirmation="")
    if reconfirm:
        changes["status"] = Membership.Status.PENDING
    with transaction.atomic():
        _save_versioned(membership, expected_version, changes)
        _audit("membership.updated", by=by, target=membership, group=membership.group)
    return str(changes.get("status", membership.status))


def _other_coordinators(membership: Membership) -> Any:
    return (
        Membership.objects.active()
        .filter(group_id=membership.group_id, role=Membership.Role.COORDINATOR)
        .exclude(pk=membership.pk)
    )


def _end(membership: Membership, reason: str) -> None:
    membership.status = Membership.Status.ENDED
    membership.ended_on = _today()
    membership.end_reason = reason
    membership.save(update_fields=["status", "ended_on", "end_reason"])


def _revoke_keys(membership: Membership, *, by: User) -> None:
    """Their grants go and the group's key moves to a new version (S9); older
    record keys are re-wrapped by a job right after the commit."""
    try:
        job = vault.revoke(keyring(), membership.group.compartment, membership.user)
    except vault.LastKeyHolder:
        raise Refused(
            _(
                "Nobody else in the group holds its key yet, so its texts would be lost. "
                "Ask another member to log in once, then try again."
            )
        ) from None
    _audit("keys.rotated", by=by, target=job, group=membership.group)
    transaction.on_commit(run_rekey_soon)


def run_rekey_soon() -> None:
    """Re-wrap a bounded amount now; `holdspace rekey` finishes any rest."""
    from holdspace.vault import rekey

    rekey.run(max_batches=20)


def restore_access(membership: Membership, *, by: User) -> None:
    """Give a member the group's key: after joining (if nobody was there to
    give it), or after their account was reset without its recovery key."""
    if membership.status != Membership.Status.ACTIVE:
        raise Refused(_("Only an active member can receive the group's key."))
    with transaction.atomic():
        try:
            vault.grant(keyring(), membership.group.compartment, membership.user)
        except KeyUnavailable:
            raise Refused(
                _("You do not hold the group's current key yourself, so you cannot pass it on.")
            ) from None
        _audit("keys.access_restored", by=by, target=membership, group=membership.group)


def _lock_members(membership: Membership) -> None:
    """Lock the group's row, then re-read the membership (S52): changes to a
    group's members wait for each other and are checked on what is true now,
    so two coordinators removing each other at once cannot leave the group
    without one, and nothing is ended or confirmed twice."""
    writes.lock(membership.group)
    writes.lock(membership)


def leave(membership: Membership, *, by: User) -> None:
    group = membership.group
    with transaction.atomic():
        _lock_members(membership)
        if membership.status == Membership.Status.ENDED:
            raise Refused(_("You are no longer in this group."))
        others = Membership.objects.current().filter(group=group).exclude(pk=membership.pk)
        if not others.exists():
            raise Refused(
                _("You are the only member. A group cannot be left empty; invite someone first.")
            )
        if membership.is_coordinator and not _other_coordinators(membership).exists():
            raise Refused(_("You are the only coordinator. Hand coordination to someone first."))
        _end(membership, Membership.EndReason.LEFT)
        _revoke_keys(membership, by=by)
        _audit("membership.left", by=by, target=membership, group=group)
        _member_event(Event.Code.MEMBER_LEFT, membership, by=by)


def remove_member(membership: Membership, *, by: User) -> None:
    """End someone's membership. Their sessions end too, so the removal takes
    effect on their very next request, wherever they are logged in."""
    if membership.user_id == by.pk:
        raise Refused(_("To leave the group yourself, use “Leave this group”."))
    group = membership.group
    with transaction.atomic():
        _lock_members(membership)
        if membership.status == Membership.Status.ENDED:
            raise Refused(_("This person is no longer in the group."))
        if membership.is_coordinator and not _other_coordinators(membership).exists():
            raise Refused(_("This is the group's only coordinator."))
        _end(membership, Membership.EndReason.REMOVED)
        _revoke_keys(membership, by=by)
        auth.end_sessions(membership.user)
        _audit("membership.removed", by=by, target=membership, group=group)
        _member_event(Event.Code.MEMBER_REMOVED, membership, by=by)


def make_coordinator(membership: Membership, *, by: User, step_down: Membership | None) -> None:
    """Make a member coordinator; with ``step_down`` (the caller's own
    membership) this is a hand-over: the caller becomes a member."""
    with transaction.atomic():
        _lock_members(membership)
        if membership.status != Membership.Status.ACTIVE:
            raise Refused(_("Only an active member can coordinate."))
        if membership.is_coordinator and step_down is None:
            raise Refused(_("This person already coordinates the group."))
        if step_down is not None and not writes.lock(step_down).is_coordinator:
            raise Refused(_("You no longer coordinate this group."))
        membership.role = Membership.Role.COORDINATOR
        membership.save(update_fields=["role"])
        if step_down is not None and step_down.pk != membership.pk:
            step_down.role = Membership.Role.MEMBER
            step_down.save(update_fields=["role"])
        action = (
            "membership.coordination_handed_over" if step_down else "membership.made_coordinator"
        )
        _audit(action, by=by, target=membership, group=membership.group)
        _member_event(Event.Code.COORDINATION_HANDED_OVER, membership, by=by)


# Account deactivation -----------------------------------------------------
# (Accounts, issue 10.) Called by processes.signals when an administrator
# deactivates an account (accounts.signals.account_deactivated): the account
# leaves every group the way remove_member removes one member.


def end_memberships_of_deactivated_account(user: User, *, by: User) -> int:
    """End every current membership of ``user`` as a removal: the grants go,
    each group's key moves to a new version (S9), the group's audit log and
    chronology say so. Runs inside the caller's transaction; returns how many
    memberships ended.

    Raises accounts.signals.DeactivationRefused if a group would lose its
    last key holder (S10); the caller's transaction then changes nothing.
    The administrator ``by`` holds no group key and needs none: the new key
    is sealed to the remaining holders, and a holder's next log-in hands the
    old one to the re-wrapping job.
    """
    from holdspace.accounts.signals import DeactivationRefused
    from holdspace.vault.keyring import Keyring, using

    memberships = Membership.objects.current().filter(user=user).select_related("group")
    ended = 0
    with using(Keyring()):
        for membership in memberships:
            group = membership.group
            _end(membership, Membership.EndReason.REMOVED)
            try:
                _revoke_keys(membership, by=by)
            except Refused as refusal:
                raise DeactivationRefused(refusal.message) from None
            _audit("membership.removed", by=by, target=membership, group=group)
            _event(
                Event.Code.MEMBER_REMOVED,
                process=group.process,
                by=None,
                group=group,
                audience=[group],
                subject=user,
            )
            if membership.is_coordinator:
                _keep_a_coordinator(membership, by=by)
            ended += 1
    return ended


def _keep_a_coordinator(ended: Membership, *, by: User) -> None:
    """A group never stays without a coordinator when its only one is
    deactivated: the member who joined first coordinates from now on (the
    group sees it on its chronology and can hand it on)."""
    if _other_coordinators(ended).exists():
        return
    successor = (
        Membership.objects.active().filter(group_id=ended.group_id).order_by("joined_on").first()
    )
    if successor is None:
        return
    successor.role = Membership.Role.COORDINATOR
    successor.save(update_fields=["role"])
    _audit("membership.made_coordinator", by=by, target=successor, group=ended.group)
    _member_event(Event.Code.COORDINATION_HANDED_OVER, successor, by=by)
