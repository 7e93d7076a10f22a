"""Reporting key material that Holdspace refused (S46).

When the keyring or a sealing function refuses a key version, grant, wrap or
account key because the instance key does not vouch for it, :func:`report`
records it three ways, all content-free (ids only):

- a line in the ``holdspace.security`` log, at once;
- an audit entry ``keys.forgery_refused`` in the group's part of the
  process's log, the first time a given row is refused;
- a :class:`~holdspace.vault.models.KeyAlarm` that the group's members see as
  a warning on the group's page and their overview, counted on every refusal.

A refusal often happens inside a transaction that is then rolled back (the
write that needed the key fails). So inside a request the records wait until
the request is over (:func:`collecting`, used by the keyring middleware) and
are written in a transaction of their own; outside a request they are written
at once (so a command that rolls back its own transaction loses all but the
log line — commands that seal, like ``holdspace rekey``, check outside one).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from holdspace.vault.models import KeyAlarm

log = logging.getLogger("holdspace.security")

ACTION = "keys.forgery_refused"


@dataclass(frozen=True)
class Refusal:
    """One refused row: what kind of key, where, and which row (ids only)."""

    what: str  # a KeyAlarm.What value
    target: type[models.Model]
    target_id: str
    compartment_id: uuid.UUID | None
    process_id: uuid.UUID | None
    group_id: uuid.UUID | None


_waiting: ContextVar[list[Refusal] | None] = ContextVar("holdspace_key_refusals", default=None)


def report(
    what: str,
    target: type[models.Model],
    target_id: object,
    *,
    compartment_id: uuid.UUID | None,
    process_id: uuid.UUID | None,
    group_id: uuid.UUID | None,
) -> None:
    """Record that ``target`` row ``target_id`` was refused (see the module
    docstring for where). Never raises: a failure to record is logged."""
    refusal = Refusal(what, target, str(target_id), compartment_id, process_id, group_id)
    log.error(
        "keys.forgery_refused what=%s compartment=%s target=%s:%s",
        what,
        compartment_id,
        target._meta.label_lower,
        refusal.target_id,
    )
    waiting = _waiting.get()
    if waiting is not None and connection.in_atomic_block:
        if refusal not in waiting:
            waiting.append(refusal)
        return
    _write([refusal])


@contextlib.contextmanager
def collecting() -> Iterator[None]:
    """Keep refusals until the block ends, then write them in a transaction
    of their own (so that a rolled-back write does not take them along)."""
    token = _waiting.set([])
    try:
        yield
    finally:
        waiting = _waiting.get() or []
        _waiting.reset(token)
        _write(waiting)


def _write(refusals: Iterable[Refusal]) -> None:
    for refusal in refusals:
        try:
            _record(refusal)
        except DatabaseError:
            log.exception("keys.forgery_not_recorded target=%s", refusal.target_id)


def _record(refusal: Refusal) -> None:
    from holdspace.audit import services as audit

    with transaction.atomic():
        created = refusal.compartment_id is None
        if refusal.compartment_id is not None:
            alarm, created = KeyAlarm.objects.get_or_create(
                compartment_id=refusal.compartment_id,
                what=refusal.what,
                target_type=refusal.target._meta.label_lower,
                target_id=refusal.target_id,
            )
            if not created:
                KeyAlarm.objects.filter(pk=alarm.pk).update(
                    count=F("count") + 1, last_seen_at=timezone.now()
                )
        if created:
            audit.log(
                ACTION,
                target=refusal.target(pk=refusal.target_id),
                process_id=refusal.process_id,
                group_id=refusal.group_id,
            )


def alarmed_group_ids(group_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``group_ids`` have key alarms (one query; a query set of ids
    becomes a subquery).

    Pass only the viewer's own active groups (from the access core): an alarm
    is shown to a group's members and nobody else.
    """
    wanted = group_ids if isinstance(group_ids, QuerySet) else set(group_ids)
    return set(
        KeyAlarm.objects.filter(compartment__group_id__in=wanted)
        .values_list("compartment__group_id", flat=True)
        .distinct()
    )
