"""The audit log is hash-chained: edits, insertions and deletions show (S42)."""

from __future__ import annotations

import uuid
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
    count, problems = services.verify()
    assert count == 3 and problems == []


def test_entries_hold_no_content(entries: list[Entry], user: User) -> None:
    entry = entries[0]
    stored = [str(value) for value in Entry.objects.filter(pk=entry.pk).values_list().get()]
    assert user.username not in " ".join(stored)
    assert entry.actor_id == user.pk and entry.target_id == str(user.pk)


def test_an_edited_action_is_detected_S42(entries: list[Entry]) -> None:
    _raw("UPDATE audit_entry SET action = %s WHERE seq = 2", "membership.added")
    _count, problems = services.verify()
    assert [(p.seq, p.description) for p in problems] == [(2, "was edited")]


def test_an_edited_actor_is_detected_S42(entries: list[Entry]) -> None:
    _raw("UPDATE audit_entry SET actor_id = %s WHERE seq = 1", uuid.uuid4().hex)
    _count, problems = services.verify()
    assert [p.seq for p in problems] == [1]


def test_a_deleted_entry_is_detected_S42(entries: list[Entry]) -> None:
    _raw("DELETE FROM audit_entry WHERE seq = 2")
    _count, problems = services.verify()
    assert {p.seq for p in problems} == {3}
    assert "missing" in problems[0].description


def test_a_deleted_last_entry_is_detected_S42(entries: list[Entry]) -> None:
    _raw("DELETE FROM audit_entry WHERE seq = 3")
    _count, problems = services.verify()
    assert [p.description for p in problems] == ["the newest entries were removed"]


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
    _count, problems = services.verify()
    assert problems


def test_the_command_reports_tampering_with_its_exit_code(entries: list[Entry]) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("audit", "verify")
    _raw("UPDATE audit_entry SET action = %s WHERE seq = 1", "x")
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit", "verify")


def test_the_command_line_exits_non_zero_on_tampering(tmp_path: object) -> None:
    env = {"HOLDSPACE_DATA_DIR": str(tmp_path)}
    assert run_holdspace(["migrate"], env).returncode == 0
    assert run_holdspace(["invite"], env).returncode == 0
    ok = run_holdspace(["audit", "verify"], env)
    assert ok.returncode == 0 and "intact (1 entries)" in ok.stdout
