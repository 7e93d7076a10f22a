"""Processes: starting one, its settings and who steers it (S51), its
parties, its groups and who carries which task."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.audit import services as audit
from holdspace.processes.models import (
    DEFAULT_RESPONSIBILITIES,
    Event,
    Group,
    Membership,
    Party,
    Process,
    Record,
    Responsibility,
)
from holdspace.processes.services.common import (
    Refused,
    _audit,
    _event,
    _save_versioned,
    _today,
)
from holdspace.vault import compartments as vault
from holdspace.vault.keyring import current as keyring
from holdspace.vault.models import Compartment

R = TypeVar("R", bound=Record)

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
    harming_pronoun: str = "he"


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
            harming_pronoun=data.harming_pronoun,
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
