"""What people do with processes, groups and records.

Each function is one atomic change: it checks the rules, changes the data,
writes an audit entry and, where the chronology should show it, an event —
all in one transaction, so a failure half-way leaves everything as before.
Callers have already passed the access core; these functions enforce the
rules that hold whoever calls them.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts import auth
from holdspace.accounts.models import User
from holdspace.accounts.services import create_account
from holdspace.audit import services as audit
from holdspace.processes import writes
from holdspace.processes.models import (
    DEFAULT_RESPONSIBILITIES,
    Event,
    Group,
    GroupInvitation,
    Membership,
    Note,
    Party,
    Process,
    Record,
    RecordAudience,
    Responsibility,
    Revision,
)
from holdspace.vault import compartments as vault
from holdspace.vault.keyring import KeyUnavailable
from holdspace.vault.keyring import current as keyring
from holdspace.vault.models import Compartment, Wrap

R = TypeVar("R", bound=Record)


class Refused(Exception):
    """A rule stops the change; ``message`` tells the person why, kindly."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class EditConflict(Exception):
    """Someone saved the record since this edit began; nothing was saved."""

    def __init__(self, current: Record) -> None:
        super().__init__("edit conflict")
        self.current = current


def _audit(action: str, *, by: User | None, target: Any, group: Group) -> None:
    """An audit entry in the group's part of the process's log."""
    audit.log(action, user=by, target=target, process_id=group.process_id, group_id=group.pk)


def audit_record(action: str, *, by: User, record: Record, target: Any = None) -> None:
    """An audit entry about a record (or a part of it, `target`) in its
    author group's part of the process's log."""
    audit.log(
        action,
        user=by,
        target=record if target is None else target,
        process_id=record.process_id,
        group_id=record.author_group_id,
    )


def _today() -> datetime.date:
    return timezone.localdate()


# When something happened (DESIGN §6) ---------------------------------------------
# Groups often start using Holdspace years into a process: a change can be
# written down long after it happened. It is dated the day it happened
# (``occurred_on``), and the moment it was written stays beside it
# (``created_at``).

NOT_YET = _("Choose today or a day in the past.")
BEFORE_THE_PROCESS = _("The process started on %(date)s. Choose that day or a later one.")
BEFORE_THE_LAST_HAND_OVER = _(
    "This task was last handed over on %(date)s. Choose that day or a later one, so that "
    "the chronology keeps the order in which things happened."
)

# A day a change cannot come before, and what to say if it does (with %(date)s).
Floor = tuple[datetime.date | None, Any]


def since_the_start(process: Process) -> Floor:
    return (process.started_on, BEFORE_THE_PROCESS)


def day_it_happened(day: datetime.date | None, *floors: Floor) -> datetime.date:
    """The day a change happened: today unless ``day`` is given.

    Raises Refused, saying which rule and which day, when ``day`` is in the
    future or before one of ``floors`` (the start of the process, the record
    the change is about, the change before it).
    """
    today = _today()
    day = day or today
    if day > today:
        raise Refused(NOT_YET)
    for floor, message in floors:
        if floor is not None and day < floor:
            raise Refused(message % {"date": formats.date_format(floor, "j F Y")})
    return day


def _event(
    code: str,
    *,
    process: Process,
    by: User | None,
    group: Group,
    audience: Iterable[Group],
    subject: User | None = None,
    other_group: Group | None = None,
    responsibility: str = "",
    about: Record | None = None,
    value: str = "",
    occurred_on: datetime.date | None = None,
) -> Event:
    event = Event.objects.create(
        occurred_on=occurred_on or timezone.localdate(),
        kind=Record.Kind.EVENT,
        process=process,
        author=by,
        author_group=group,
        code=code,
        subject=subject,
        other_group=other_group,
        responsibility=responsibility,
        about=about,
        value=value,
    )
    set_audience(event, audience)
    return event


def record_event(
    record: Record,
    code: str,
    *,
    by: User | None,
    value: str = "",
    occurred_on: datetime.date | None = None,
) -> Event:
    """An event on the chronology about ``record``, for the same readers,
    shown as coming from the group of ``by`` that reads the record."""
    return _event(
        code,
        process=record.process,
        by=by,
        group=_acting_group(by, record),
        audience=record.audience_groups.all(),
        about=record,
        value=value,
        occurred_on=occurred_on,
    )


def _acting_group(user: User | None, record: Record) -> Group:
    """The group ``user`` acts in on ``record``: the author group if they are
    in it, else their first group in its audience (Holdspace: the author group)."""
    if user is not None:
        mine = set(
            Membership.objects.active()
            .filter(user=user, group__process_id=record.process_id)
            .values_list("group_id", flat=True)
        )
        if record.author_group_id not in mine:
            for group in record.audience_groups.all().order_by("created_at"):
                if group.pk in mine:
                    return group
    return record.author_group


def create_record(
    model: type[R],
    *,
    author: User,
    group: Group,
    audience: Iterable[Group] = (),
    texts: dict[str, str],
    **values: Any,
) -> R:
    """A new record of any kind with its own record key, readable by the
    author's group (and ``audience``). Call inside a transaction."""
    record = model(
        kind=model.__name__.lower(),
        process_id=group.process_id,
        author=author,
        author_group=group,
        **values,
    )
    record.data_key = keyring().new_data_key(group.process_id)
    for field, text in texts.items():
        setattr(record, field, text)
    record.save()  # a new row
    set_audience(record, [group, *audience])
    return record


def set_audience(record: Record, groups: Iterable[Group]) -> None:
    """Who may read a record: the audience rows for the access core, and the
    record key sealed to exactly those groups' compartments for the vault."""
    chosen = {group.pk: group for group in groups}
    RecordAudience.objects.filter(record=record).delete()
    RecordAudience.objects.bulk_create(
        RecordAudience(record=record, group=g) for g in chosen.values()
    )
    if record.data_key_id is None:
        return  # events carry no text
    compartments = Compartment.objects.filter(group_id__in=chosen)
    Wrap.objects.filter(
        data_key_id=record.data_key_id, compartment__kind=Compartment.Kind.GROUP
    ).exclude(compartment__in=compartments).delete()
    for compartment in compartments:
        keyring().share(record.data_key_id, compartment)


def _party_audience(record: Record, to_harming_party: bool, to_harmed_party: bool) -> None:
    """Seal the record key to the party spaces it is addressed to (or unseal it)."""
    for kind, wanted in (
        (Compartment.Kind.PORTAL, to_harming_party),
        (Compartment.Kind.SURVIVOR, to_harmed_party),
    ):
        if record.data_key_id is None:
            return
        if wanted:
            keyring().share(record.data_key_id, vault.party_compartment(record.process_id, kind))
        else:
            Wrap.objects.filter(
                data_key_id=record.data_key_id,
                compartment__process_id=record.process_id,
                compartment__kind=kind,
            ).delete()


# Processes -------------------------------------------------------------


@dataclass(frozen=True)
class NewProcess:
    name: str
    started_on: datetime.date
    harmed_term: str
    harming_term: str
    harmed_pseudonym: str
    harming_pseudonym: str
    group_kind: str
    group_name: str
    commitment_until: datetime.date | None


def is_party(user: User) -> bool:
    """Whether the account is linked to one of the two people a process is about."""
    return Party.objects.filter(account=user).exists()


def may_start_processes(user: User) -> bool:
    """Who may start a process: administrators and the accounts they allow
    (an instance setting, per account) — never an account linked to a party,
    which reads only through its own pages (S44)."""
    if is_party(user):
        return False
    return user.is_instance_admin or user.may_start_processes


def create_process(creator: User, data: NewProcess) -> Process:
    """A new process; its creator coordinates its first group."""
    ring = keyring()
    with transaction.atomic():
        process = Process(
            started_on=data.started_on,
            harmed_term=data.harmed_term,
            harming_term=data.harming_term,
        )
        process.data_key = ring.new_data_key(process.pk)
        process.name = data.name
        process.save()
        for role, pseudonym in (
            (Party.Role.HARMED, data.harmed_pseudonym),
            (Party.Role.HARMING, data.harming_pseudonym),
        ):
            Party.objects.create(
                process=process, role=role, process_key=process.data_key, pseudonym=pseudonym
            )
        group = _new_group(process, creator, kind=data.group_kind, name=data.group_name, purpose="")
        Membership.objects.filter(group=group, user=creator).update(
            commitment_until=data.commitment_until
        )
        _take_default_responsibilities(group)
        audit.log("process.created", user=creator, target=process, process_id=process.pk)
        # A process written down years into it began on its own start date.
        _event(
            Event.Code.PROCESS_CREATED,
            process=process,
            by=creator,
            group=group,
            audience=[group],
            occurred_on=min(data.started_on, _today()),
        )
    return process


# The audit action of each new status.
STATUS_ACTIONS = {
    Process.Status.ACTIVE: "process.resumed",
    Process.Status.PAUSED: "process.paused",
    Process.Status.CLOSED: "process.closed",
    Process.Status.INTAKE: "process.back_to_intake",
}


def update_process(
    process: Process,
    *,
    by: User,
    group: Group,
    expected_version: int,
    changes: dict[str, Any],
    steering: Iterable[Group] | None = None,
) -> Process:
    """Change a process's settings as a coordinator of ``group``, a group that
    steers it (the caller checked). A new status (paused, closed …) is
    audited and shown to every group with who changed it; ``steering`` names
    the other groups that steer, among those that may be named."""
    with transaction.atomic():
        locked = Process.objects.select_for_update().get(pk=process.pk)
        _save_versioned(locked, expected_version, changes)
        audit.log("process.updated", user=by, target=process, process_id=process.pk)
        if steering is not None:
            _name_steering_groups(process, steering, by=by)
        status = changes.get("status", locked.status)
        if status != locked.status:
            audit.log(STATUS_ACTIONS[status], user=by, target=process, process_id=process.pk)
            _event(
                Event.Code.PROCESS_STATUS,
                process=process,
                by=by,
                group=group,
                audience=Group.objects.filter(process=process),
                value=status,
            )
    return Process.objects.get(pk=process.pk)


def _name_steering_groups(process: Process, groups: Iterable[Group], *, by: User) -> None:
    chosen = list(groups)
    wanted = {group.pk for group in chosen}
    if any(group.process_id != process.pk for group in chosen):
        raise Refused(_("Only groups of this process can steer it."))
    named = set(Group.objects.filter(process=process, steers=True).values_list("pk", flat=True))
    if wanted == named:
        return
    Group.objects.filter(process=process).update(steers=False)
    Group.objects.filter(pk__in=wanted).exclude(kind=Group.Kind.SUPPORT_TEAM).update(steers=True)
    audit.log("process.steering_changed", user=by, target=process, process_id=process.pk)


def _save_versioned(instance: Any, expected_version: int, changes: dict[str, Any]) -> None:
    """Save ``changes`` only if nobody saved since ``expected_version`` (S38).

    The row is locked and saved through the model, so that encrypted fields
    are encrypted on the way.
    """
    locked = writes.lock_version(type(instance).objects.get(pk=instance.pk), expected_version)
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.version = expected_version + 1
    locked.save(update_fields=[*changes, "version"])


def update_party(party: Party, *, by: User, expected_version: int, pseudonym: str) -> None:
    with transaction.atomic():
        _save_versioned(party, expected_version, {"pseudonym": pseudonym})
        audit.log("party.updated", user=by, target=party, process_id=party.process_id)


def _take_default_responsibilities(group: Group) -> None:
    taken = set(
        Responsibility.objects.filter(process_id=group.process_id).values_list("kind", flat=True)
    )
    Responsibility.objects.bulk_create(
        Responsibility(process_id=group.process_id, kind=kind, group=group)
        for kind in DEFAULT_RESPONSIBILITIES.get(group.kind, [])
        if kind not in taken
    )


def _new_group(process: Process, coordinator: User, *, kind: str, name: str, purpose: str) -> Group:
    """A group with its own compartment, coordinated (and its key held) by
    ``coordinator``, who must already hold the process key."""
    ring = keyring()
    group = Group(process=process, kind=kind, process_key_id=process.data_key_id)
    group.data_key = ring.new_data_key(process.pk)
    group.name, group.purpose = name, purpose
    group.save()
    compartment = vault.create(
        ring, process.pk, kind=Compartment.Kind.GROUP, group_id=group.pk, holders=[coordinator]
    )
    ring.share(process.data_key_id, compartment)  # type: ignore[arg-type]  # set above
    ring.share(group.data_key_id, compartment)  # type: ignore[arg-type]  # set above
    Membership.objects.create(group=group, user=coordinator, role=Membership.Role.COORDINATOR)
    return group


def add_group(process: Process, *, by: User, kind: str, name: str, purpose: str) -> Group:
    """A new group; whoever adds it coordinates it until they hand over."""
    with transaction.atomic():
        group = _new_group(process, by, kind=kind, name=name, purpose=purpose)
        _take_default_responsibilities(group)
        _audit("group.added", by=by, target=group, group=group)
        _event(
            Event.Code.GROUP_ADDED,
            process=process,
            by=by,
            group=group,
            audience=Group.objects.filter(process=process),
            other_group=group,
        )
    return group


def update_group(group: Group, *, by: User, expected_version: int, name: str, purpose: str) -> None:
    with transaction.atomic():
        _save_versioned(group, expected_version, {"name": name, "purpose": purpose})
        _audit("group.updated", by=by, target=group, group=group)


def last_hand_overs(process: Process) -> dict[str, datetime.date]:
    """The day each task of ``process`` was last handed over, by task."""
    rows = (
        Event.objects.filter(process=process, code=Event.Code.RESPONSIBILITY_MOVED)
        .values("responsibility")
        .annotate(last=Max("occurred_on"))
    )
    return {row["responsibility"]: row["last"] for row in rows}


def move_responsibility(
    process: Process,
    kind: str,
    *,
    to: Group,
    by: User,
    happened_on: datetime.date | None = None,
) -> None:
    """Hand a task over to another group of the process (e.g. contact with
    the person who caused harm, from the support group to a new contact
    group), on the day it happened (default today). Both groups see the
    hand-over on their chronology."""
    if to.process_id != process.pk:
        raise Refused(_("That group belongs to another process."))
    with transaction.atomic():
        current = (
            Responsibility.objects.select_for_update().filter(process=process, kind=kind).first()
        )
        if current is not None and current.group_id == to.pk:
            raise Refused(_("This group already carries that task."))
        day = day_it_happened(
            happened_on,
            since_the_start(process),
            (last_hand_overs(process).get(kind), BEFORE_THE_LAST_HAND_OVER),
        )
        previous = current.group if current is not None else None
        Responsibility.objects.update_or_create(process=process, kind=kind, defaults={"group": to})
        _audit("responsibility.moved", by=by, target=to, group=to)
        _event(
            Event.Code.RESPONSIBILITY_MOVED,
            process=process,
            by=by,
            group=to,
            audience=[to] + ([previous] if previous else []),
            other_group=previous,
            responsibility=kind,
            occurred_on=day,
        )


# Memberships -------------------------------------------------------------


def invite(group: Group, *, by: User, role: str, note: str) -> tuple[GroupInvitation, str]:
    with transaction.atomic():
        invitation, token = GroupInvitation.issue(group, created_by=by, role=role, note=note)
        invitation.sealed_key = vault.seal_for_invitation(
            keyring(), group.compartment, invitation.pk, token
        )
        invitation.save(update_fields=["sealed_key"])
        _audit("group_invitation.created", by=by, target=invitation, group=group)
    return invitation, token


def revoke_invitation(invitation: GroupInvitation, *, by: User) -> None:
    with transaction.atomic():
        if writes.lock(invitation).revoked_at is not None:
            return  # withdrawn a moment ago: once is enough (S52)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
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


# Records -----------------------------------------------------------------


def write_note(
    *,
    author: User,
    group: Group,
    occurred_on: datetime.date,
    title: str,
    body: str,
) -> Note:
    """A note for the author's group only (widening is a separate, explicit step)."""
    with transaction.atomic():
        note = create_record(
            Note,
            author=author,
            group=group,
            texts={"title": title, "body": body},
            occurred_on=occurred_on,
        )
        _audit("note.created", by=author, target=note, group=group)
    return note


def _snapshot(record: Record, fields: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(record, field)
        dated = isinstance(value, datetime.date | datetime.time)
        values[field] = value.isoformat() if dated else value
    return values


def edit_record(
    record: Record, *, by: User, expected_version: int, changes: dict[str, Any]
) -> None:
    """Save an edit if nobody saved in between (S38); keep the old version.

    Raises EditConflict with the record as it is now, and saves nothing,
    when ``expected_version`` is not the current version.
    """
    fields: tuple[str, ...] = getattr(type(record), "CONTENT_FIELDS", ())
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        if locked.version != expected_version:
            raise EditConflict(locked)
        Revision.objects.create(
            record=locked,
            version=locked.version,
            edited_by=by,
            content=json.dumps(_snapshot(locked, fields)),
        )
        before = {field: getattr(locked, field) for field in changes if field in fields}
        for field, value in changes.items():
            if field not in fields:
                raise ValueError(f"{field} cannot be edited")
            setattr(locked, field, value)
        locked.version = expected_version + 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changes, "version", "updated_at"])
        # What dates from the record's own day (a demand's first status) moves with it.
        follow = getattr(locked, "follow_edit", None)
        if follow is not None:
            follow(before)
        _audit(f"{record.kind}.edited", by=by, target=locked, group=record.author_group)


def change_audience(
    record: Record,
    *,
    by: User,
    groups: Iterable[Group],
    to_harming_party: bool,
    to_harmed_party: bool,
) -> None:
    """Who may read a record. The author's group always keeps it; every
    group must belong to the record's process. Widening is audited as such."""
    chosen = {group.pk: group for group in groups}
    if any(group.process_id != record.process_id for group in chosen.values()):
        raise Refused(_("A record can only be shared with groups of its own process."))
    chosen[record.author_group_id] = record.author_group
    with transaction.atomic():
        before = set(
            RecordAudience.objects.filter(record=record).values_list("group_id", flat=True)
        )
        widened = (
            bool(set(chosen) - before)
            or (to_harming_party and not record.to_harming_party)
            or (to_harmed_party and not record.to_harmed_party)
        )
        set_audience(record, chosen.values())
        _party_audience(record, to_harming_party, to_harmed_party)
        Record.objects.filter(pk=record.pk).update(
            to_harming_party=to_harming_party, to_harmed_party=to_harmed_party
        )
        action = "record.audience_widened" if widened else "record.audience_narrowed"
        _audit(action, by=by, target=record, group=record.author_group)


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
            ended += 1
    return ended
