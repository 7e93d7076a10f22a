"""Migration 0003 re-chains an existing log under the audit key, only if the
old chain verifies (S47), and runs backwards too (S41)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from holdspace.audit import legacy, services
from holdspace.audit.models import GENESIS, Entry, Head
from holdspace.testing import migrate_app_to
from holdspace.vault import instance

BEFORE = "0002_entry_group_id"
KEYED = "0003_key_the_chain"
ACTOR = uuid.UUID("5b0c7d0e-0000-4000-8000-0000000000a1")
PROCESS = uuid.UUID("5b0c7d0e-0000-4000-8000-0000000000a2")
UNKEYED = "has an unkeyed hash (written before the log was keyed, or forged)"


def _migrate_audit_to(name: str) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", name)])


@pytest.fixture
def before_keying(transactional_db: None) -> Iterator[None]:
    """The audit app as it was before the chain was keyed (S41: and back again)."""
    instance.instance_key()  # made on first use, as on a new instance
    _migrate_audit_to(BEFORE)
    try:
        yield
    finally:
        # Every later test expects the newest tables, not just those of 0003.
        migrate_app_to("audit")


def _write_unkeyed(count: int) -> list[Entry]:
    """Entries exactly as the code before 0003 wrote them."""
    head, _created = Head.objects.get_or_create(id=1)
    start = timezone.now() - datetime.timedelta(days=1)
    for offset in range(count):
        seq = head.seq + 1
        at = start + datetime.timedelta(minutes=offset)
        scope = (PROCESS if offset % 2 else None, None)
        digest = legacy.details_digest(ACTOR, "accounts.user", str(ACTOR))
        entry = Entry.objects.create(
            seq=seq,
            at=at,
            action="account.logged_in",
            actor_id=ACTOR,
            target_type="accounts.user",
            target_id=str(ACTOR),
            process_id=scope[0],
            details_digest=digest,
            previous_hash=head.hash,
            hash=legacy.entry_hash(seq, head.hash, at, "account.logged_in", scope, digest),
        )
        head.seq, head.hash = seq, entry.hash
        head.save()
    return list(Entry.objects.order_by("seq"))


def _stored() -> list[tuple[Any, ...]]:
    return list(Entry.objects.order_by("seq").values_list())


def _unkeyed_chain_verifies() -> bool:
    previous = GENESIS
    for e in Entry.objects.order_by("seq"):
        digest = legacy.details_digest(e.actor_id, e.target_type, e.target_id)
        scope = (e.process_id, e.group_id)
        recomputed = legacy.entry_hash(e.seq, previous, e.at, e.action, scope, digest)
        if (e.previous_hash, e.details_digest, e.hash) != (previous, digest, recomputed):
            return False
        previous = e.hash
    return Head.objects.get(id=1).hash == previous


def test_an_old_log_is_re_chained_under_the_key_S47(before_keying: None) -> None:
    old = _write_unkeyed(4)
    assert _unkeyed_chain_verifies()
    _migrate_audit_to(KEYED)
    result = services.check()
    assert result.intact and (result.count, result.last_seq) == (4, 4)
    new = list(Entry.objects.order_by("seq"))
    # The same entries, only the digests and hashes are new.
    assert [(e.seq, e.at, e.action, e.actor_id, e.process_id) for e in new] == [
        (e.seq, e.at, e.action, e.actor_id, e.process_id) for e in old
    ]
    assert not {e.hash for e in new} & {e.hash for e in old}


def test_a_broken_old_log_is_left_as_it_was_S47(before_keying: None) -> None:
    _write_unkeyed(4)
    Entry.objects.filter(seq=2).update(action="account.created")
    stored = _stored()
    _migrate_audit_to(KEYED)
    assert _stored() == stored
    # The edited entry still stands out among the ones never re-keyed.
    problems = [(p.seq, p.description) for p in services.check().problems]
    assert problems == [(1, UNKEYED), (2, "was edited"), (3, UNKEYED), (4, UNKEYED)]


def test_a_blanked_old_entry_is_not_laundered_S47(before_keying: None) -> None:
    # The old check let a blank actor pass on any entry of a process.
    _write_unkeyed(3)
    Entry.objects.filter(seq=2).update(actor_id=None, target_type="", target_id="")
    stored = _stored()
    _migrate_audit_to(KEYED)
    assert _stored() == stored
    assert (2, "actor or object was changed") in [
        (p.seq, p.description) for p in services.check().problems
    ]


def test_an_old_log_with_a_cut_tail_is_left_as_it_was_S47(before_keying: None) -> None:
    _write_unkeyed(3)
    Entry.objects.filter(seq=3).delete()
    stored = _stored()
    _migrate_audit_to(KEYED)
    assert _stored() == stored
    assert not services.check().intact


def test_entries_a_new_server_keyed_before_migrating_are_kept_S47(before_keying: None) -> None:
    # Code of this version may run before `migrate`: it appends keyed entries.
    _write_unkeyed(2)
    services.log("account.logged_out", process_id=PROCESS)
    assert (3, UNKEYED) not in [(p.seq, p.description) for p in services.check().problems]
    _migrate_audit_to(KEYED)
    assert services.check().intact and Entry.objects.count() == 3


def test_the_migration_runs_backwards_and_forwards_again_S41_S47(before_keying: None) -> None:
    _migrate_audit_to(KEYED)
    services.log("process.created", process_id=PROCESS)
    services.log("account.logged_in")
    services.purge_process(PROCESS)
    assert services.check().intact
    _migrate_audit_to(BEFORE)
    assert _unkeyed_chain_verifies()
    _migrate_audit_to(KEYED)
    assert services.check().intact and Entry.objects.count() == 3


def test_a_broken_keyed_log_is_left_as_it_was_backwards_S41_S47(before_keying: None) -> None:
    _migrate_audit_to(KEYED)
    for _ in range(3):
        services.log("account.logged_in")
    Entry.objects.filter(seq=2).update(action="account.created")
    stored = _stored()
    _migrate_audit_to(BEFORE)
    assert _stored() == stored


def test_the_migration_needs_the_instance_key_S47(before_keying: None) -> None:
    _write_unkeyed(2)
    stored = _stored()
    path = Path(settings.VAULT_INSTANCE_KEY_FILE)
    kept = path.read_bytes()
    path.unlink()
    instance.forget()
    try:
        with pytest.raises(CommandError, match=r"cannot be re-chained: The instance key file"):
            _migrate_audit_to(KEYED)
        assert not path.exists() and _stored() == stored
    finally:
        path.write_bytes(kept)
        path.chmod(0o600)
        instance.forget()


def test_an_empty_log_needs_no_key_to_migrate_S47(before_keying: None) -> None:
    path = Path(settings.VAULT_INSTANCE_KEY_FILE)
    kept = path.read_bytes()
    path.unlink()
    instance.forget()
    try:
        _migrate_audit_to(KEYED)
        assert not path.exists()
    finally:
        path.write_bytes(kept)
        path.chmod(0o600)
        instance.forget()
