"""Handing a task over to another group with its history (DESIGN C18, S39).

A task (contact with the person who caused harm, the demands, supervision …)
moves from the group carrying it to another group of the process. The
receiving group reads the history the handing group passes on — by default
every record of the task's kinds (``registry.history_kinds``) the handing
group reads — through *re-keying*, not copying: the receiving group joins
each record's audience, and each record's key is sealed to its compartment.
The handing group stays as a reader, or leaves: then it leaves those
records' audiences and their keys are no longer sealed to it.

When the task decides who keeps a party (contact for the person who caused
harm; the demands, else her support, for the survivor), the party space's
key follows it, so that the receiving group can make the next link and read
what he wrote.

It is a decision of those who steer the process (S51), made by a coordinator
of the handing group (who holds its keys), with a reason that both groups
and the steering groups read. Everything happens in one transaction: a fault
half-way leaves everything as it was (S39).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes import access, registry
from holdspace.processes.models import (
    Event,
    Group,
    HandOver,
    Membership,
    Party,
    Process,
    Record,
    RecordAudience,
    Responsibility,
)
from holdspace.processes.services.common import (
    BEFORE_THE_LAST_HAND_OVER,
    Refused,
    _audit,
    _event,
    day_it_happened,
    since_the_start,
)
from holdspace.processes.services.parties import SPACES
from holdspace.processes.services.records import create_record
from holdspace.vault.keyring import KeyUnavailable
from holdspace.vault.keyring import current as keyring
from holdspace.vault.models import Compartment, Wrap

# Kinds that are never passed on as history: what happened to the process
# itself, and earlier hand-overs (both groups read those already).
NOT_HISTORY = {Record.Kind.EVENT, "handover"}

ASK_THE_STEERING_GROUPS = _(
    "Handing a task over is a decision of the groups that steer the process: "
    "%(groups)s. Please ask one of their coordinators."
)
ASK_THE_HANDING_GROUP = _(
    "Only a coordinator of %(group)s can hand this task over, because they hold the "
    "keys to its records. Please ask one of them: %(people)s."
)
ASK_TO_BE_NAMED = _(
    "Handing a task over is a decision of the groups that steer the process: %(groups)s. "
    "Your group holds the keys to this task's records: please ask one of their "
    "coordinators to name your group among those that steer (in the process settings), "
    "then hand it over."
)
NOT_THE_SUPPORT_TEAM = _(
    "The support team of the person who caused harm cannot carry this task: it never "
    "steers the process. Please choose another group."
)
KEYS_MISSING = _(
    "Some records of this task cannot be opened with your keys, so they cannot be "
    "passed on. Nothing was changed. Please ask another coordinator of your group "
    "to log in once, then try again."
)

PARTY_KEY_MISSING = _(
    "Your keys do not open the key of the pages of the people the process is about, so "
    "it cannot go with the task. Nothing was changed. Please ask a coordinator of the "
    "group that made the last link for those pages to hand the task over."
)


def passable_kinds() -> list[str]:
    """Every registered kind a hand-over may pass on."""
    return [name for name in registry.KINDS if name not in NOT_HISTORY]


def _names(groups: Iterable[Group]) -> str:
    return ", ".join(str(group.name) for group in groups)


def coordinators_of(group: Group) -> list[str]:
    """The account names of a group's active coordinators (names of members
    are known throughout the process)."""
    rows = Membership.objects.active().filter(group=group, role=Membership.Role.COORDINATOR)
    return sorted(str(name) for name in rows.values_list("user__username", flat=True))


def refusal_for(user: User, process: Process, task: str) -> str | None:
    """Why ``user`` may not hand ``task`` over, saying whom to ask; None if
    they may: a coordinator of a steering group (S51) and, if a group
    carries the task, a coordinator of that group (who holds its keys)."""
    current = Responsibility.objects.filter(process=process, kind=task).select_related("group")
    holder = current.first()
    if not access.steers(user, process):
        steering = {"groups": _names(access.steering_groups(process))}
        if holder is not None and holder.group_id in access.coordinated_group_ids(user, process):
            return str(ASK_TO_BE_NAMED % steering)
        return str(ASK_THE_STEERING_GROUPS % steering)
    if holder is not None and holder.group_id not in access.coordinated_group_ids(user, process):
        return str(
            ASK_THE_HANDING_GROUP
            % {"group": holder.group.name, "people": ", ".join(coordinators_of(holder.group))}
        )
    return None


def history_of(process: Process, group: Group, kinds: Iterable[str]) -> list[Record]:
    """The records of ``kinds`` that ``group`` reads: what it can pass on."""
    return list(
        Record.objects.filter(process=process, kind__in=list(kinds), audience__group=group)
        .distinct()
        .only("pk", "data_key_id", "kind")
    )


def last_hand_overs(process: Process) -> dict[str, datetime.date]:
    """The day each task of ``process`` was last handed over, by task."""
    rows = (
        Event.objects.filter(process=process, code=Event.Code.RESPONSIBILITY_MOVED)
        .values("responsibility")
        .annotate(last=Max("occurred_on"))
    )
    return {row["responsibility"]: row["last"] for row in rows}


def hand_over(
    process: Process,
    task: str,
    *,
    to: Group,
    by: User,
    reason: str,
    happened_on: datetime.date | None = None,
    kinds: Iterable[str] | None = None,
    handing_group_stays: bool = True,
) -> HandOver:
    """Hand ``task`` to the group ``to`` with the history of ``kinds``
    (default: the task's registered kinds), on the day it happened.

    Raises Refused, saying why and whom to ask, and changes nothing, if
    ``by`` may not (:func:`refusal_for`), the group carries the task
    already, the day is impossible or a record's key is out of reach.
    """
    if task not in Responsibility.Kind.values:
        raise Refused(_("Please choose a task."))
    if to.process_id != process.pk:
        raise Refused(_("That group belongs to another process."))
    chosen = list(dict.fromkeys(registry.history_kinds(task) if kinds is None else kinds))
    if any(name not in passable_kinds() for name in chosen):
        raise Refused(_("Please choose what to pass on among the kinds offered."))
    with transaction.atomic():
        current = (
            Responsibility.objects.select_for_update()
            .filter(process=process, kind=task)
            .select_related("group")
            .first()
        )
        refusal = refusal_for(by, process, task)
        if refusal is not None:
            raise Refused(refusal)
        if current is not None and current.group_id == to.pk:
            raise Refused(_("This group already carries that task."))
        if to.kind == Group.Kind.SUPPORT_TEAM and task in access.STEERING_TASKS:
            raise Refused(NOT_THE_SUPPORT_TEAM)
        day = day_it_happened(
            happened_on,
            since_the_start(process),
            (last_hand_overs(process).get(task), BEFORE_THE_LAST_HAND_OVER),
        )
        previous = current.group if current is not None else None
        steering_before = set(access.steering_groups(process))
        keepers_before = {role: access.keeping_group(process, role) for role in Party.Role}
        passed = _pass_history(process, previous, to, chosen, stays=handing_group_stays)
        Responsibility.objects.update_or_create(process=process, kind=task, defaults={"group": to})
        for role in Party.Role:
            _move_party_key(process, role, keepers_before[role])
        readers = {to, *steering_before, *access.steering_groups(process)}
        if previous is not None:
            readers.add(previous)
        author_group = previous or access.acting_steering_group(by, process)
        handover = create_record(
            HandOver,
            author=by,
            group=author_group,
            audience=readers,
            texts={"reason": reason},
            occurred_on=day,
            task=task,
            from_group=previous,
            to_group=to,
            passed_kinds=",".join(chosen) if previous is not None else "",
            passed_count=passed,
            handing_group_stays=handing_group_stays,
        )
        _audit("responsibility.moved", by=by, target=handover, group=to)
        if previous is not None:
            _audit("responsibility.moved", by=by, target=handover, group=previous)
        _event(
            Event.Code.RESPONSIBILITY_MOVED,
            process=process,
            by=by,
            group=to,
            audience=readers,
            other_group=previous,
            responsibility=task,
            about=handover,
            occurred_on=day,
        )
    return handover


def move_responsibility(
    process: Process,
    kind: str,
    *,
    to: Group,
    by: User,
    happened_on: datetime.date | None = None,
) -> HandOver:
    """Hand a task over with its whole history, the handing group staying
    as a reader, and no reason given (the demo, scripts): see :func:`hand_over`."""
    return hand_over(process, kind, to=to, by=by, reason="", happened_on=happened_on)


def _compartment(group: Group) -> Compartment:
    return Compartment.objects.get(group=group, kind=Compartment.Kind.GROUP)


def _pass_history(
    process: Process, handing: Group | None, to: Group, kinds: list[str], *, stays: bool
) -> int:
    """Re-key the history: ``to`` joins the audience of every record of
    ``kinds`` that ``handing`` reads (and of the events about them), and each
    record key is sealed to its compartment; unless ``stays``, ``handing``
    leaves them. Returns how many records were passed on."""
    if handing is None or not kinds:
        return 0
    records = history_of(process, handing, kinds)
    ids = [record.pk for record in records]
    events = list(
        Event.objects.filter(about_id__in=ids, audience__group=handing)
        .distinct()
        .values_list("pk", flat=True)
    )
    ring = keyring()
    keys = [record.data_key_id for record in records if record.data_key_id is not None]
    ring.prefetch(keys)
    if any(ring.data_key(key) is None for key in keys):
        raise Refused(KEYS_MISSING)
    receiving = _compartment(to)
    RecordAudience.objects.bulk_create(
        (RecordAudience(record_id=pk, group=to) for pk in [*ids, *events]),
        ignore_conflicts=True,
    )
    for key in keys:
        try:
            ring.share(key, receiving)
        except KeyUnavailable:
            raise Refused(KEYS_MISSING) from None
    if not stays:
        RecordAudience.objects.filter(record_id__in=[*ids, *events], group=handing).delete()
        Wrap.objects.filter(data_key_id__in=keys, compartment=_compartment(handing)).delete()
    return len(records)


def _move_party_key(process: Process, role: str, keeper_before: Group | None) -> None:
    """If the hand-over changed which group keeps the party of ``role``, the
    party space's key goes with it (once a link was made, a group keeps it:
    ``vault.keep_party_key``), and the group that kept it no longer does."""
    keeper = access.keeping_group(process, role)
    if keeper is None or keeper_before is None or keeper.pk == keeper_before.pk:
        return
    space = Compartment.objects.filter(process=process, kind=SPACES[Party.Role(role)]).first()
    if space is None or space.escrow_key_id is None:
        return  # no link made yet: the instance key still keeps it
    receiving = _compartment(keeper)
    held = Wrap.objects.filter(
        data_key_id=space.escrow_key_id, compartment=receiving, version=receiving.version
    )
    if not held.exists():  # (a group taking a task back may still hold it)
        ring = keyring()
        if ring.data_key(space.escrow_key_id) is None:
            raise Refused(PARTY_KEY_MISSING)
        ring.share(space.escrow_key_id, receiving)
    Wrap.objects.filter(data_key_id=space.escrow_key_id, compartment__group=keeper_before).delete()
