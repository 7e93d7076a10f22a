"""Writing and verifying the audit log.

Call :func:`log` inside the same transaction as the change it describes, so
that either both are stored or neither is.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from holdspace.audit.models import GENESIS, Entry, Head


def details_digest(actor_id: uuid.UUID | None, target_type: str, target_id: str) -> str:
    payload = {
        "actor": str(actor_id) if actor_id else None,
        "target_type": target_type,
        "target_id": target_id,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def entry_hash(
    seq: int,
    previous: str,
    at: datetime,
    action: str,
    scope: tuple[uuid.UUID | None, uuid.UUID | None],
    digest: str,
) -> str:
    """The entry's hash over everything it holds. ``scope`` is (process, group)."""
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    process_id, group_id = scope
    material = "|".join(
        (str(seq), previous, stamp, action, str(process_id or ""), str(group_id or ""), digest)
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


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
    """
    actor_id = getattr(user, "pk", None) if user is not None else None
    if actor_id is not None and not isinstance(actor_id, uuid.UUID):
        actor_id = None  # anonymous users have no id
    target_type, target_id = _target(target)
    with transaction.atomic():
        head, _created = Head.objects.select_for_update().get_or_create(id=1)
        at = timezone.now()
        seq = head.seq + 1
        digest = details_digest(actor_id, target_type, target_id)
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
            hash=entry_hash(seq, head.hash, at, action, (process_id, group_id), digest),
        )
        head.seq, head.hash = seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def _details_match(entry: Entry) -> bool:
    # Retention blanks actor and object of a purged process's entries; the
    # digest still holds them in the chain.
    purged = entry.process_id is not None and entry.actor_id is None and not entry.target_type
    digest = details_digest(entry.actor_id, entry.target_type, entry.target_id)
    return purged or digest == entry.details_digest


@dataclass(frozen=True)
class Problem:
    seq: int
    description: str


def verify() -> tuple[int, list[Problem]]:
    """Check the whole chain. Returns (entries checked, problems found)."""
    problems: list[Problem] = []
    expected_seq, previous = 1, GENESIS
    count = 0
    for entry in Entry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, f"entries {expected_seq}…{entry.seq - 1} missing"))
        if entry.previous_hash != previous:
            problems.append(Problem(entry.seq, "does not follow the entry before it"))
        if not _details_match(entry):
            problems.append(Problem(entry.seq, "actor or object was changed"))
        recomputed = entry_hash(
            entry.seq,
            entry.previous_hash,
            entry.at,
            entry.action,
            (entry.process_id, entry.group_id),
            entry.details_digest,
        )
        if recomputed != entry.hash:
            problems.append(Problem(entry.seq, "was edited"))
        expected_seq, previous = entry.seq + 1, entry.hash
    head = Head.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != expected_seq - 1 or head_hash != previous:
        problems.append(Problem(head_seq, "the newest entries were removed"))
    return count, problems
