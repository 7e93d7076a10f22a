"""The audit log is hash-chained: edits, insertions and deletions show (S42).

Keyed chains, purges and tampering of every kind: test_keyed.py (S47)."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from holdspace.accounts.models import User
from holdspace.audit import services
from holdspace.audit.models import Entry
from holdspace.testing import run_holdspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(user: User) -> list[Entry]:
    return [
        services.log("account.logged_in", user=user, target=user),
        services.log("membership.removed", user=user, process_id=uuid.uuid4()),
        services.log("account.logged_out", user=user, target=user),
    ]


def _raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_log_verifies(entries: list[Entry]) -> None:
    result = services.check()
    assert result.count == 3 and result.problems == [] and result.intact
    assert (result.last_seq, result.last_at) == (3, entries[-1].at)
    assert services.verify() == (3, [])  # the short form callers such as restore use


def test_an_empty_log_verifies(db: None) -> None:
    result = services.check()
    assert (result.count, result.problems, result.last_seq) == (0, [], None)


def test_entries_hold_no_content(entries: list[Entry], user: User) -> None:
    entry = entries[0]
    stored = [str(value) for value in Entry.objects.filter(pk=entry.pk).values_list().get()]
    assert user.username not in " ".join(stored)
    assert entry.actor_id == user.pk and entry.target_id == str(user.pk)


def test_an_edited_action_is_detected_S42(entries: list[Entry]) -> None:
    _raw("UPDATE audit_entry SET action = %s WHERE seq = 2", "membership.added")
    problems = services.check().problems
    assert [(p.seq, p.description) for p in problems] == [(2, "was edited")]


def test_an_edited_actor_is_detected_S42(entries: list[Entry]) -> None:
    _raw("UPDATE audit_entry SET actor_id = %s WHERE seq = 1", uuid.uuid4().hex)
    problems = services.check().problems
    assert [(p.seq, p.description) for p in problems] == [(1, "actor or object was changed")]


def test_a_deleted_entry_is_detected_S42(entries: list[Entry]) -> None:
    _raw("DELETE FROM audit_entry WHERE seq = 2")
    problems = services.check().problems
    assert [(p.seq, p.description) for p in problems] == [
        (3, "entries 2…2 missing"),
        (3, "does not follow the entry before it"),
    ]


def test_a_deleted_last_entry_is_detected_S42(entries: list[Entry]) -> None:
    _raw("DELETE FROM audit_entry WHERE seq = 3")
    problems = services.check().problems
    assert [(p.seq, p.description) for p in problems] == [
        (3, "entries 3…3 were removed from the end")
    ]


def test_an_inserted_entry_is_detected_S42(entries: list[Entry]) -> None:
    forged = Entry.objects.get(seq=3)
    _raw(
        "INSERT INTO audit_entry (seq, at, action, actor_id, target_type, target_id, "
        "process_id, details_digest, previous_hash, hash) "
        "VALUES (4, %s, 'account.logged_in', NULL, '', '', NULL, %s, %s, %s)",
        forged.at,
        forged.details_digest,
        forged.hash,
        "f" * 64,
    )
    problems = services.check().problems
    assert (4, "was edited") in [(p.seq, p.description) for p in problems]


def test_the_command_reports_tampering_with_its_exit_code(entries: list[Entry]) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("audit", "verify")
    _raw("UPDATE audit_entry SET action = %s WHERE seq = 1", "x")
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit", "verify")


def _raw_sqlite(data_dir: Path, sql: str) -> None:
    with contextlib.closing(sqlite3.connect(data_dir / "holdspace.sqlite3")) as database:
        database.execute(sql)
        database.commit()


def test_the_command_line_exits_non_zero_on_tampering_or_without_the_key_S42_S47(
    tmp_path: Path,
) -> None:
    env = {"HOLDSPACE_DATA_DIR": str(tmp_path)}
    assert run_holdspace(["migrate"], env).returncode == 0
    assert run_holdspace(["invite"], env).returncode == 0
    ok = run_holdspace(["audit", "verify"], env)
    assert ok.returncode == 0 and "intact (1 entry; the last is number 1, written " in ok.stdout
    _raw_sqlite(tmp_path, "UPDATE audit_entry SET action = 'x' WHERE seq = 1")
    broken = run_holdspace(["audit", "verify"], env)
    assert broken.returncode == 1
    assert "entry 1: was edited" in broken.stderr and "tampered" in broken.stderr
    (tmp_path / "instance_key").unlink()
    keyless = run_holdspace(["audit", "verify"], env)
    assert keyless.returncode == 1 and "Traceback" not in keyless.stderr
    assert "instance key file" in keyless.stderr and "is missing" in keyless.stderr
