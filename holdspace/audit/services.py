"""Writing, purging and verifying the audit log.

Call :func:`log` inside the same transaction as the change it describes, so
that either both are stored or neither is.

The chain is keyed (S47): every entry's hash is a MAC under a key derived
from the instance key, which is kept outside the database. Whoever can write
to the database can still delete or change entries, but cannot recompute the
chain afterwards, so :func:`check` notices.
"""

from __future__ import annotations

import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from holdspace.audit import legacy
from holdspace.audit.models import GENESIS, Entry, Head
from holdspace.vault import crypto, instance

PURGED = "process.purged"


def details_mac(key: bytes, actor_id: uuid.UUID | None, target_type: str, target_id: str) -> str:
    """Keyed BLAKE2b-256 (hex) over an entry's actor and object.

    The entry's MAC covers this instead of the ids themselves, so a purge can
    blank the ids and the chain still verifies. Keyed, so a copy of the
    database alone cannot confirm a guessed actor of a blanked entry (whoever
    holds the instance key still can). Deterministic for a given key; never
    raises.
    """
    material = json.dumps([str(actor_id) if actor_id else None, target_type, target_id])
    return crypto.digest(material.encode("utf-8"), key=key, person=b"hs-audit-detail").hex()


def entry_mac(
    key: bytes,
    seq: int,
    previous: str,
    at: datetime,
    action: str,
    scope: tuple[uuid.UUID | None, uuid.UUID | None],
    digest: str,
) -> str:
    """Keyed BLAKE2b-256 (hex) over everything an entry holds, and the hash
    of the entry before it. ``scope`` is (process, group).

    Invariant: changing any field, the position or the previous hash gives
    another value, and nobody without ``key`` can compute it. Never raises.
    """
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    process_id, group_id = scope
    material = json.dumps(
        [seq, previous, stamp, action, str(process_id or ""), str(group_id or ""), digest]
    )
    return crypto.digest(material.encode("utf-8"), key=key, person=b"hs-audit-entry").hex()


def _target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def log(
    action: str,
    *,
    user: Any = None,
    target: models.Model | None = None,
    process_id: uuid.UUID | None = None,
    group_id: uuid.UUID | None = None,
) -> Entry:
    """Append an entry. ``action`` is a code like ``membership.removed``.

    Locks the head row, so concurrent writers append one after the other
    (on PostgreSQL with SELECT … FOR UPDATE; SQLite runs one writer anyway).
    Raises InstanceKeyError if the instance key file is missing while the log
    has entries.
    """
    actor_id = getattr(user, "pk", None) if user is not None else None
    if actor_id is not None and not isinstance(actor_id, uuid.UUID):
        actor_id = None  # anonymous users have no id
    target_type, target_id = _target(target)
    with transaction.atomic():
        head, _created = Head.objects.select_for_update().get_or_create(id=1)
        key = instance.audit_key(may_create=head.seq == 0)
        at = timezone.now()
        seq = head.seq + 1
        digest = details_mac(key, actor_id, target_type, target_id)
        entry = Entry.objects.create(
            seq=seq,
            at=at,
            action=action,
            actor_id=actor_id,
            target_type=target_type,
            target_id=target_id,
            process_id=process_id,
            group_id=group_id,
            details_digest=digest,
            previous_hash=head.hash,
            hash=entry_mac(key, seq, head.hash, at, action, (process_id, group_id), digest),
        )
        head.seq, head.hash = seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def purge_process(process_id: uuid.UUID, *, by: Any = None) -> Entry:
    """Blank actor and object of every entry of a process (retention, S40),
    and append a ``process.purged`` entry that vouches for it.

    Action, time, process and group stay, so the log still shows that
    something happened and when. :func:`check` accepts a blank actor and
    object only on entries of a process with a later purge entry (S47).
    """
    with transaction.atomic():
        # Hold the head first: no entry of the process may slip in between
        # the blanking and the purge entry.
        Head.objects.select_for_update().get_or_create(id=1)
        Entry.objects.filter(process_id=process_id).update(
            actor_id=None, target_type="", target_id=""
        )
        return log(PURGED, user=by, process_id=process_id)


@dataclass(frozen=True)
class Problem:
    seq: int
    description: str


@dataclass(frozen=True)
class Verification:
    """What :func:`check` found. ``last_seq`` and ``last_at`` describe the
    newest entry, so a human can notice a log that was cut short."""

    count: int
    problems: list[Problem]
    last_seq: int | None = None
    last_at: datetime | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def _is_blank(entry: Entry) -> bool:
    return entry.actor_id is None and not entry.target_type and not entry.target_id


def _head_problem(head: Head | None, last_seq: int, last_hash: str) -> Problem | None:
    """The head row holds where the log ends; it must match the last entry."""
    if head is None:
        return (
            Problem(last_seq, "the record of where the log ends is missing") if last_seq else None
        )
    if head.seq > last_seq:
        return Problem(head.seq, f"entries {last_seq + 1}…{head.seq} were removed from the end")
    if head.seq < last_seq:
        return Problem(last_seq, f"comes after the recorded end of the log (entry {head.seq})")
    if not _same(head.hash, last_hash):
        return Problem(head.seq, "does not match the recorded end of the log")
    return None


@dataclass
class _Walk:
    """The state of a walk along the chain, in order of ``seq``."""

    key: bytes
    count: int = 0
    expected_seq: int = 1
    previous: str = GENESIS
    last: Entry | None = None
    problems: list[Problem] = field(default_factory=list)
    # Blank entries per process, waiting for a purge entry that vouches for them.
    blanked: dict[uuid.UUID, list[int]] = field(default_factory=dict)

    def problem(self, entry: Entry, description: str) -> None:
        self.problems.append(Problem(entry.seq, description))

    def check(self, entry: Entry) -> None:
        self.count += 1
        if entry.seq > self.expected_seq:
            self.problem(entry, f"entries {self.expected_seq}…{entry.seq - 1} missing")
        elif entry.seq < self.expected_seq:
            self.problem(entry, "is out of order")
        if not _same(entry.previous_hash, self.previous):
            self.problem(entry, "does not follow the entry before it")
        scope = (entry.process_id, entry.group_id)
        args = (entry.seq, entry.previous_hash, entry.at, entry.action, scope)
        if _same(entry_mac(self.key, *args, entry.details_digest), entry.hash):
            self._check_details(entry)
            if entry.action == PURGED and entry.process_id is not None:
                self.blanked.pop(entry.process_id, None)
        elif _same(legacy.entry_hash(*args, entry.details_digest), entry.hash):
            self.problem(entry, "has an unkeyed hash (written before the log was keyed, or forged)")
            if not self._legacy_details_match(entry):
                self.problem(entry, "actor or object was changed")
        else:
            self.problem(entry, "was edited")
            # An edited entry of a log never re-keyed holds an unkeyed digest.
            if not self._legacy_details_match(entry):
                self._check_details(entry)
        self.expected_seq, self.previous, self.last = entry.seq + 1, entry.hash, entry

    def _check_details(self, entry: Entry) -> None:
        digest = details_mac(self.key, entry.actor_id, entry.target_type, entry.target_id)
        if _same(digest, entry.details_digest):
            return
        if entry.process_id is not None and _is_blank(entry):
            self.blanked.setdefault(entry.process_id, []).append(entry.seq)
        else:
            self.problem(entry, "actor or object was changed")

    def _legacy_details_match(self, entry: Entry) -> bool:
        digest = legacy.details_digest(entry.actor_id, entry.target_type, entry.target_id)
        return _same(digest, entry.details_digest)

    def finish(self, head: Head | None) -> Verification:
        for seqs in self.blanked.values():
            self.problems.extend(Problem(seq, "actor or object was changed") for seq in seqs)
        head_problem = _head_problem(head, self.expected_seq - 1, self.previous)
        if head_problem is not None:
            self.problems.append(head_problem)
        self.problems.sort(key=lambda problem: problem.seq)
        return Verification(
            count=self.count,
            problems=self.problems,
            last_seq=self.last.seq if self.last else None,
            last_at=self.last.at if self.last else None,
        )


def _entries(after: int | None = None) -> Iterable[Entry]:
    entries = Entry.objects.order_by("seq")
    if after is not None:
        entries = entries.filter(seq__gt=after)
    return entries.iterator(chunk_size=2000)


def verify() -> tuple[int, list[Problem]]:
    """Check the whole chain as :func:`check` does. Returns (entries checked,
    problems found)."""
    result = check()
    return result.count, result.problems


def check() -> Verification:
    """Check the whole chain: positions, links, MACs, actors and objects, and
    the head row against the last entry.

    Entries written while it runs are checked too, so a busy server gives no
    false alarm. Raises InstanceKeyError if the log has entries and the
    instance key is missing or unreadable.
    """
    if not Entry.objects.exists():
        return _Walk(key=b"").finish(Head.objects.filter(id=1).first())
    walk = _Walk(key=instance.audit_key(may_create=False))
    newer = _entries()
    while True:
        for entry in newer:
            walk.check(entry)
        # Read after the entries: an entry and its head change commit together.
        head = Head.objects.filter(id=1).first()
        checked = walk.expected_seq - 1
        if head is None or head.seq <= checked:
            return walk.finish(head)
        newer = list(_entries(after=checked))
        if not newer:
            return walk.finish(head)
