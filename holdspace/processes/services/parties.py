"""Linking an account to a party of a process: the portal of the person who
caused harm, and the survivor's own view (DESIGN C11, §1).

A coordinator of the group that keeps a party (the group carrying contact
for him, the survivor's side for her) makes a single-use link. The link
carries the party space's key, locked with its token; using it links the
account and seals that key to it. The group keeps its own copy of the key,
so the process survives the party leaving and a new link can be made.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.accounts.services import create_account
from holdspace.audit import services as audit
from holdspace.processes import access, writes
from holdspace.processes.models import Event, Group, Party, PartyInvitation
from holdspace.processes.services.common import (
    Refused,
    _audit,
    _event,
    seal_into_link,
    withdraw_link,
)
from holdspace.vault import compartments as vault
from holdspace.vault.keyring import KeyUnavailable
from holdspace.vault.keyring import current as keyring
from holdspace.vault.models import Compartment

LINK_UNUSABLE = _("This link cannot be used any more.")

SPACES = {Party.Role.HARMING: Compartment.Kind.PORTAL, Party.Role.HARMED: Compartment.Kind.SURVIVOR}


def party_space(party: Party) -> Compartment:
    return vault.party_compartment(party.process_id, SPACES[Party.Role(party.role)])


def invite(party: Party, *, by: User, group: Group) -> tuple[PartyInvitation, str]:
    """A link for the party's account, made by a coordinator of ``group``
    (the keeping group, checked by the access core): the group keeps the
    party's key from now on, and the link carries it."""
    with transaction.atomic():
        space = party_space(party)
        try:
            vault.keep_party_key(keyring(), space, group.compartment)
        except KeyUnavailable as missing:
            raise Refused(
                _(
                    "Your group does not hold the key of this space yet. A member of the "
                    "group that made the last link can make a new one."
                )
            ) from missing
        invitation, token = PartyInvitation.issue(party, made_in=group, created_by=by)
        seal_into_link(invitation, space, token)
        _audit("party_invitation.created", by=by, target=invitation, group=group)
    return invitation, token


def revoke(invitation: PartyInvitation, *, by: User) -> None:
    with transaction.atomic():
        if withdraw_link(invitation):
            _audit("party_invitation.revoked", by=by, target=invitation, group=invitation.made_in)


def _refuse_members(party: Party, user: User) -> None:
    """A party account is no member of the process's groups, and not the
    other party (S44)."""
    if access.active_memberships(user).filter(group__process_id=party.process_id).exists():
        raise Refused(
            _(
                "This account belongs to a member of the process's groups, so it cannot be "
                "linked here. Please log out and create a new account with this link."
            )
        )
    if (
        Party.objects.filter(process_id=party.process_id, account=user)
        .exclude(pk=party.pk)
        .exists()
    ):
        raise Refused(LINK_UNUSABLE)


def _link(party: Party, user: User, *, made_in: Group) -> None:
    """Make ``user`` the party's account (in the caller's transaction; the
    caller's keyring holds the party's key)."""
    _refuse_members(party, user)
    vault.hand_party_key_to(keyring(), party_space(party), user)
    party.account, party.linked_on = user, timezone.localdate()
    party.save(update_fields=["account", "linked_on"])
    _event(
        Event.Code.PARTY_LINKED,
        process=party.process,
        by=None,
        group=made_in,
        audience=[made_in],
        value=party.role,
    )
    _audit("party.linked", by=user, target=party, group=made_in)


def accept(token: str, user: User) -> Party:
    """Use a party link with a signed-in account. Raises Refused if the link
    is no longer usable or the account may not be linked (the link stays unused)."""
    with transaction.atomic():
        invitation = PartyInvitation.find_usable(token)
        if invitation is None:
            raise Refused(LINK_UNUSABLE)
        invitation = writes.lock(invitation)
        if invitation.used_at is not None or invitation.sealed_key is None:
            raise Refused(LINK_UNUSABLE)
        party = Party.objects.select_related("process").get(pk=invitation.party_id)
        space = party_space(party)
        vault.open_invitation(
            keyring(), bytes(invitation.sealed_key), space, invitation.pk, token, user=None
        )
        if not keyring().holds(space):
            raise Refused(
                _("The keys changed since this link was made. Please ask for a new link.")
            )
        _link(party, user, made_in=invitation.made_in)
        invitation.used_at, invitation.used_by = timezone.now(), user
        invitation.save(update_fields=["used_at", "used_by"])
    return party


def create_account_for_link(token: str, *, username: str, password: str) -> tuple[User, bytes]:
    """A new account made with a party link; a link makes one at most."""
    with transaction.atomic():
        invitation = PartyInvitation.find_usable(token)
        if invitation is not None:
            invitation = writes.lock(invitation)
        if invitation is None or invitation.created_account_id is not None:
            raise Refused(LINK_UNUSABLE)
        user, private = create_account(username, password)
        invitation.created_account = user
        invitation.save(update_fields=["created_account"])
        audit.log("account.created", user=user, target=user)
    return user, private


def link_account(party: Party, user: User) -> None:
    """Link ``user`` to the party directly, with the caller's keyring (the
    demo, tests): as if its keeping group had made a link and it was used."""
    group = access.keeping_group(party.process, party.role)
    if group is None:
        raise Refused(_("Nobody keeps this party yet."))
    with transaction.atomic():
        space = party_space(party)
        vault.keep_party_key(keyring(), space, group.compartment)
        _link(party, user, made_in=group)
