"""Re-chain the audit log under the audit key (S47), and back (S41).

Forwards, the unkeyed chain is checked first. Entries a new server wrote
before this migration ran may already be keyed: a keyed tail is accepted, as
it pins every unkeyed entry before it. Only an intact chain is re-chained; a
broken one is left exactly as it is, so `holdspace audit verify` keeps
reporting the damage. Backwards, an intact keyed chain is re-chained unkeyed.

The keyed format is copied here on purpose: this migration must go on
writing this format whatever later versions of services.py do.
"""

from __future__ import annotations

import hmac
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import CommandError
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from holdspace.audit import legacy
from holdspace.vault import crypto, instance

log = logging.getLogger("holdspace.audit")

GENESIS = "0" * 64
PURGED = "process.purged"
BATCH = 1000
FIELDS = ["details_digest", "previous_hash", "hash"]

Scope = tuple[uuid.UUID | None, uuid.UUID | None]
DetailsFn = Callable[[uuid.UUID | None, str, str], str]
EntryFn = Callable[[int, str, datetime, str, Scope, str], str]


def _keyed(key: bytes) -> tuple[DetailsFn, EntryFn]:
    """The keyed format of this version (services.details_mac and entry_mac)."""

    def details(actor_id: uuid.UUID | None, target_type: str, target_id: str) -> str:
        material = json.dumps([str(actor_id) if actor_id else None, target_type, target_id])
        return crypto.digest(material.encode("utf-8"), key=key, person=b"hs-audit-detail").hex()

    def entry(seq: int, previous: str, at: datetime, action: str, scope: Scope, digest: str) -> str:
        stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
        process_id, group_id = scope
        material = json.dumps(
            [seq, previous, stamp, action, str(process_id or ""), str(group_id or ""), digest]
        )
        return crypto.digest(material.encode("utf-8"), key=key, person=b"hs-audit-entry").hex()

    return details, entry


UNKEYED: tuple[DetailsFn, EntryFn] = (legacy.details_digest, legacy.entry_hash)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def _pages(entry_model: Any) -> Iterator[list[Any]]:
    # Pages by position, so rows can be rewritten between pages.
    after = -1
    while page := list(entry_model.objects.filter(seq__gt=after).order_by("seq")[:BATCH]):
        yield page
        after = page[-1].seq


def _audit_key() -> bytes:
    try:
        return instance.audit_key(may_create=False)
    except instance.InstanceKeyError as error:
        raise CommandError(f"The audit log cannot be re-chained: {error}") from None


class _Check:
    """Whether the stored chain verifies, entries in order of position.

    ``accept_unkeyed``: unkeyed entries may come first (forwards). Keyed
    entries may have a blank actor and object if their process has a later
    purge entry, as services.check allows.
    """

    def __init__(self, key: bytes, accept_unkeyed: bool) -> None:
        self.keyed = _keyed(key)
        self.accept_unkeyed = accept_unkeyed
        self.expected, self.previous = 1, GENESIS
        self.seen_keyed = False
        self.unvouched: set[uuid.UUID] = set()

    def entry(self, e: Any) -> bool:
        args = (e.seq, e.previous_hash, e.at, e.action, (e.process_id, e.group_id))
        if e.seq != self.expected or not _same(e.previous_hash, self.previous):
            return False
        if _same(self.keyed[1](*args, e.details_digest), e.hash):
            self.seen_keyed = True
            details = self.keyed[0]
        elif self.accept_unkeyed and not self.seen_keyed:
            if not _same(legacy.entry_hash(*args, e.details_digest), e.hash):
                return False
            details = legacy.details_digest
        else:
            return False
        if not _same(details(e.actor_id, e.target_type, e.target_id), e.details_digest):
            blank = e.actor_id is None and not e.target_type and not e.target_id
            if not (self.seen_keyed and blank and e.process_id is not None):
                return False
            self.unvouched.add(e.process_id)
        if self.seen_keyed and e.action == PURGED:
            self.unvouched.discard(e.process_id)
        self.expected, self.previous = e.seq + 1, e.hash
        return True

    def end(self, head: Any) -> bool:
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
        at_end = head_seq == self.expected - 1 and _same(head_hash, self.previous)
        return at_end and not self.unvouched


def _intact(apps: StateApps, check: _Check) -> bool:
    entry_model, head_model = apps.get_model("audit", "Entry"), apps.get_model("audit", "Head")
    for page in _pages(entry_model):
        if not all(check.entry(e) for e in page):
            return False
    return check.end(head_model.objects.filter(id=1).first())


def _rechain(apps: StateApps, fmt: tuple[DetailsFn, EntryFn]) -> None:
    entry_model, head_model = apps.get_model("audit", "Entry"), apps.get_model("audit", "Head")
    details, entry_hash = fmt
    previous = GENESIS
    for page in _pages(entry_model):
        for e in page:
            e.details_digest = details(e.actor_id, e.target_type, e.target_id)
            e.previous_hash = previous
            scope = (e.process_id, e.group_id)
            e.hash = entry_hash(e.seq, previous, e.at, e.action, scope, e.details_digest)
            previous = e.hash
        entry_model.objects.bulk_update(page, FIELDS)
    head_model.objects.filter(id=1).update(hash=previous)


def key_the_chain(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if not apps.get_model("audit", "Entry").objects.exists():
        return
    key = _audit_key()
    if not _intact(apps, _Check(key, accept_unkeyed=True)):
        log.warning("audit.rechain_skipped the chain does not verify; entries left unchanged")
        return
    _rechain(apps, _keyed(key))


def unkey_the_chain(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if not apps.get_model("audit", "Entry").objects.exists():
        return
    key = _audit_key()
    if not _intact(apps, _Check(key, accept_unkeyed=False)):
        log.warning("audit.rechain_skipped the chain does not verify; entries left unchanged")
        return
    _rechain(apps, UNKEYED)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_entry_group_id"),
    ]

    operations = [
        migrations.RunPython(key_the_chain, unkey_the_chain, elidable=False),
    ]
