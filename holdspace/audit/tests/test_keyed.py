"""The audit chain is keyed with a secret outside the database (S47): editing,
deleting, blanking, reordering or re-chaining entries fails verification."""

from __future__ import annotations

import base64
import datetime
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holdspace.accounts.models import User
from holdspace.audit import legacy, services
from holdspace.audit.models import Entry, Head
from holdspace.vault import crypto, instance

pytestmark = pytest.mark.django_db

PROCESS = uuid.UUID("5b0c7d0e-0000-4000-8000-000000000001")


@pytest.fixture
def entries(user: User) -> list[Entry]:
    return [
        services.log("account.logged_in", user=user, target=user),
        services.log("membership.removed", user=user, target=user, process_id=PROCESS),
        services.log("note.created", user=user, target=user, process_id=PROCESS),
        services.log("account.logged_out", user=user, target=user),
    ]


def _raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _problems() -> list[tuple[int, str]]:
    return [(p.seq, p.description) for p in services.check().problems]


@pytest.fixture
def key_file() -> Iterator[Path]:
    """The instance key file; whatever a test does to it is undone afterwards."""
    path = Path(django_settings.VAULT_INSTANCE_KEY_FILE)
    kept = path.read_bytes()
    instance.forget()
    try:
        yield path
    finally:
        path.write_bytes(kept)
        path.chmod(0o600)
        instance.forget()


# What an attacker who can write to the database, but has no key, can do.


def _rechain(details: Callable[..., str], entry_hash: Callable[..., str]) -> None:
    """Recompute every digest and hash, and the head, with the given functions."""
    previous = "0" * 64
    for entry in Entry.objects.order_by("seq"):
        digest = details(entry.actor_id, entry.target_type, entry.target_id)
        scope = (entry.process_id, entry.group_id)
        entry_hash_value = entry_hash(entry.seq, previous, entry.at, entry.action, scope, digest)
        _raw(
            "UPDATE audit_entry SET details_digest = %s, previous_hash = %s, hash = %s "
            "WHERE seq = %s",
            digest,
            previous,
            entry_hash_value,
            entry.seq,
        )
        previous = entry_hash_value
    seq = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    _raw("UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1", seq, previous)


def _rechain_with_a_guessed_key() -> None:
    guess = crypto.random_bytes()
    _rechain(
        lambda *details: services.details_mac(guess, *details),
        lambda *fields: services.entry_mac(guess, *fields),
    )


def _rechain_unkeyed() -> None:
    _rechain(legacy.details_digest, legacy.entry_hash)


def _renumber_after_deleting(seq: int) -> None:
    _raw("DELETE FROM audit_entry WHERE seq = %s", seq)
    for later in Entry.objects.filter(seq__gt=seq).order_by("seq").values_list("seq", flat=True):
        _raw("UPDATE audit_entry SET seq = %s WHERE seq = %s", later - 1, later)


def _swap(first: int, second: int) -> None:
    _raw("UPDATE audit_entry SET seq = 0 WHERE seq = %s", first)
    _raw("UPDATE audit_entry SET seq = %s WHERE seq = %s", first, second)
    _raw("UPDATE audit_entry SET seq = %s WHERE seq = 0", second)


def _blank(seq: int) -> None:
    _raw(
        "UPDATE audit_entry SET actor_id = NULL, target_type = '', target_id = '' WHERE seq = %s",
        seq,
    )


# The key -----------------------------------------------------------------------


def test_entry_hashes_are_macs_under_a_key_from_the_instance_key_S47(
    entries: list[Entry],
) -> None:
    entry = entries[1]
    key = instance.audit_key(may_create=False)
    scope = (entry.process_id, entry.group_id)
    fields = (entry.seq, entry.previous_hash, entry.at, entry.action, scope, entry.details_digest)
    assert entry.hash == services.entry_mac(key, *fields)
    assert entry.hash != services.entry_mac(crypto.random_bytes(), *fields)
    assert entry.hash != legacy.entry_hash(*fields)
    digest = legacy.details_digest(entry.actor_id, entry.target_type, entry.target_id)
    assert entry.details_digest != digest
    # Derived for this purpose only: neither the instance key nor another purpose's key.
    assert key not in (instance.instance_key(), instance._server_key("audit"))


def test_the_audit_key_changes_with_the_instance_key_S47(key_file: Path) -> None:
    first = instance.audit_key(may_create=False)
    key_file.write_text(base64.b64encode(crypto.random_bytes()).decode())
    instance.forget()
    assert instance.audit_key(may_create=False) != first


# Tampering, one kind at a time ----------------------------------------------------


def test_an_edited_entry_fails_S47(entries: list[Entry]) -> None:
    _raw("UPDATE audit_entry SET at = %s WHERE seq = 3", entries[2].at + datetime.timedelta(1))
    assert _problems() == [(3, "was edited")]


def test_an_edited_object_fails_S47(entries: list[Entry]) -> None:
    _raw("UPDATE audit_entry SET target_id = %s WHERE seq = 2", str(uuid.uuid4()))
    assert _problems() == [(2, "actor or object was changed")]


def test_a_deleted_entry_in_the_middle_fails_S47(entries: list[Entry]) -> None:
    _raw("DELETE FROM audit_entry WHERE seq = 2")
    assert _problems() == [(3, "entries 2…2 missing"), (3, "does not follow the entry before it")]


def test_a_deleted_tail_fails_S47(entries: list[Entry]) -> None:
    _raw("DELETE FROM audit_entry WHERE seq >= 3")
    assert _problems() == [(4, "entries 3…4 were removed from the end")]


def test_a_deleted_head_row_fails_S47(entries: list[Entry]) -> None:
    Head.objects.all().delete()
    assert _problems() == [(4, "the record of where the log ends is missing")]


def test_an_edited_head_row_fails_S47(entries: list[Entry]) -> None:
    _raw("UPDATE audit_head SET hash = %s", entries[2].hash)
    assert _problems() == [(4, "does not match the recorded end of the log")]
    _raw("UPDATE audit_head SET seq = 3, hash = %s", entries[2].hash)
    assert _problems() == [(4, "comes after the recorded end of the log (entry 3)")]


def test_a_blanked_entry_of_a_process_fails_without_a_purge_S47(entries: list[Entry]) -> None:
    # This passed before the chain was keyed: blanking looked like retention.
    _blank(2)
    assert _problems() == [(2, "actor or object was changed")]


def test_a_blanked_entry_without_a_process_fails_S47(entries: list[Entry]) -> None:
    _blank(1)
    assert _problems() == [(1, "actor or object was changed")]


def test_reordered_entries_fail_S47(entries: list[Entry]) -> None:
    _swap(2, 3)
    problems = _problems()
    assert {seq for seq, _description in problems} == {2, 3, 4}
    assert (2, "was edited") in problems and (3, "was edited") in problems


def test_a_chain_recomputed_without_the_key_fails_S47(entries: list[Entry]) -> None:
    _raw("UPDATE audit_entry SET action = 'account.created' WHERE seq = 2")
    _rechain_with_a_guessed_key()
    problems = _problems()
    assert [(seq, "was edited") for seq in (1, 2, 3, 4)] == [
        problem for problem in problems if problem[1] == "was edited"
    ]
    assert len(problems) == 8  # and every actor and object looks changed


def test_a_chain_recomputed_in_the_old_unkeyed_format_fails_S47(entries: list[Entry]) -> None:
    _renumber_after_deleting(2)
    _rechain_unkeyed()
    description = "has an unkeyed hash (written before the log was keyed, or forged)"
    assert _problems() == [(seq, description) for seq in (1, 2, 3)]


def test_a_wrong_instance_key_fails_every_entry_S47(entries: list[Entry], key_file: Path) -> None:
    key_file.write_text(base64.b64encode(crypto.random_bytes()).decode())
    instance.forget()
    assert [seq for seq, description in _problems() if description == "was edited"] == [1, 2, 3, 4]


# Any tampering, at random ----------------------------------------------------------


def _edit(column: str, value: Callable[[], Any]) -> Callable[[int], None]:
    def edit(seq: int) -> None:
        _raw(f"UPDATE audit_entry SET {column} = %s WHERE seq = %s", value(), seq)  # noqa: S608

    return edit


def _hex() -> str:
    return crypto.random_bytes().hex()


TAMPERING: dict[str, Callable[[int], None]] = {
    "action": _edit("action", lambda: "account.created"),
    "actor": _edit("actor_id", lambda: uuid.uuid4().hex),
    "target_type": _edit("target_type", lambda: "processes.record"),
    "target_id": _edit("target_id", lambda: str(uuid.uuid4())),
    "process": _edit("process_id", lambda: uuid.uuid4().hex),
    "group": _edit("group_id", lambda: uuid.uuid4().hex),
    "digest": _edit("details_digest", _hex),
    "previous": _edit("previous_hash", _hex),
    "hash": _edit("hash", _hex),
    "blank": _blank,
    "delete": lambda seq: _raw("DELETE FROM audit_entry WHERE seq = %s", seq),
    "delete and renumber": _renumber_after_deleting,
}


def _fails_and_rolls_back(tamper: Callable[[], None]) -> bool:
    with transaction.atomic():
        tamper()
        failed = not services.check().intact
        transaction.set_rollback(True)
    return failed


def test_every_kind_of_tampering_fails_on_every_entry_S47(entries: list[Entry]) -> None:
    cases: dict[str, Callable[[], None]] = {
        f"{kind} {seq}": partial(TAMPERING[kind], seq) for kind in TAMPERING for seq in (1, 2, 3, 4)
    }
    cases |= {
        f"swap {a} {b}": partial(_swap, a, b) for a in (1, 2, 3, 4) for b in (1, 2, 3, 4) if a < b
    }
    cases |= {"guessed key": _rechain_with_a_guessed_key, "unkeyed": _rechain_unkeyed}
    passed = [name for name, tamper in cases.items() if not _fails_and_rolls_back(tamper)]
    assert passed == []
    assert services.check().intact


@given(
    changes=st.lists(
        st.tuples(st.sampled_from(sorted(TAMPERING)), st.integers(min_value=1, max_value=4)),
        min_size=1,
        max_size=3,
    ),
    swap=st.none() | st.tuples(st.integers(1, 4), st.integers(1, 4)).filter(lambda s: s[0] != s[1]),
    rechain=st.sampled_from([None, "guessed key", "unkeyed"]),
)
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_tampering_fails_verification_S47(
    entries: list[Entry],
    changes: list[tuple[str, int]],
    swap: tuple[int, int] | None,
    rechain: str | None,
) -> None:
    with transaction.atomic():
        for kind, seq in changes:
            if Entry.objects.filter(seq=seq).exists():
                TAMPERING[kind](seq)
        if swap is not None and Entry.objects.filter(seq__in=swap).count() == 2:
            _swap(*swap)
        if rechain == "guessed key":
            _rechain_with_a_guessed_key()
        elif rechain == "unkeyed":
            _rechain_unkeyed()
        assert services.check().problems, (changes, swap, rechain)
        transaction.set_rollback(True)
    assert services.check().intact


# What a human sees ---------------------------------------------------------------


def test_a_cut_tail_shows_only_in_the_position_it_prints_S47(entries: list[Entry]) -> None:
    # Deleting the newest entries and moving the head back leaves a valid chain:
    # only the printed position, compared with an earlier one, shows it.
    _raw("DELETE FROM audit_entry WHERE seq = 4")
    _raw("UPDATE audit_head SET seq = 3, hash = %s", entries[2].hash)
    result = services.check()
    assert result.intact and (result.last_seq, result.last_at) == (3, entries[2].at)


def test_the_command_prints_where_the_log_ends_S47(user: User) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 29, 19, 40, 7, tzinfo=datetime.UTC)):
        services.log("account.logged_in", user=user, target=user)
        services.log("account.logged_out", user=user, target=user)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == (
        "The audit log is intact (2 entries; the last is number 2, written 2026-11-29 19:40 UTC)."
    )


def test_the_command_names_each_problem_and_groups_runs_S47(entries: list[Entry]) -> None:
    _rechain_with_a_guessed_key()
    err = StringIO()
    with pytest.raises(CommandError, match=r"tampered with: 8 problem\(s\) \(4 entries; the last"):
        call_command("audit", "verify", stderr=err)
    assert err.getvalue().splitlines() == [
        "entries 1…4: was edited",
        "entries 1…4: actor or object was changed",
    ]


def test_without_the_instance_key_verify_fails_with_a_clear_message_S47(
    entries: list[Entry], key_file: Path
) -> None:
    key_file.unlink()
    instance.forget()
    with pytest.raises(CommandError, match=r"cannot be checked: The instance key file .* missing"):
        call_command("audit", "verify")
    assert not key_file.exists()  # and no new key was made up in its place


def test_without_the_instance_key_nothing_is_logged_S47(
    entries: list[Entry], key_file: Path, user: User
) -> None:
    key_file.unlink()
    instance.forget()
    with pytest.raises(instance.InstanceKeyError, match="is missing"):
        services.log("account.logged_in", user=user, target=user)
    assert not key_file.exists() and Entry.objects.count() == 4
