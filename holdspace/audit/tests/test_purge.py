"""A purge blanks who did what in a process's entries and is itself a keyed
entry that vouches for the blanking (S47); nothing else may be blank (S40)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection

from holdspace.accounts.models import User
from holdspace.audit import services
from holdspace.audit.labels import ACTIONS
from holdspace.audit.models import Entry

pytestmark = pytest.mark.django_db

PURGED = uuid.UUID("5b0c7d0e-0000-4000-8000-00000000000a")
KEPT = uuid.UUID("5b0c7d0e-0000-4000-8000-00000000000b")
GROUP = uuid.UUID("5b0c7d0e-0000-4000-8000-00000000000c")


@pytest.fixture
def entries(user: User) -> list[Entry]:
    return [
        services.log("process.created", user=user, target=user, process_id=PURGED),
        services.log("process.created", user=user, target=user, process_id=KEPT),
        services.log("membership.added", user=user, target=user, process_id=PURGED, group_id=GROUP),
        services.log("account.logged_out", user=user, target=user),
    ]


def _raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _problems() -> list[tuple[int, str]]:
    return [(p.seq, p.description) for p in services.check().problems]


def _who_and_what(seq: int) -> tuple[Any, ...]:
    return tuple(
        Entry.objects.filter(seq=seq).values_list("actor_id", "target_type", "target_id").get()
    )


def test_a_purge_blanks_the_process_and_the_log_still_verifies_S47(
    entries: list[Entry], user: User
) -> None:
    purge = services.purge_process(PURGED)
    assert (purge.seq, purge.action, purge.process_id, purge.actor_id) == (
        5,
        "process.purged",
        PURGED,
        None,
    )
    assert _who_and_what(1) == _who_and_what(3) == (None, "", "")
    assert _who_and_what(2) == _who_and_what(4) == (user.pk, "accounts.user", str(user.pk))
    # When, what kind of change and which group stay: the log still shows that something happened.
    third = Entry.objects.get(seq=3)
    assert (third.action, third.at, third.group_id) == ("membership.added", entries[2].at, GROUP)
    assert services.check().intact


def test_a_purge_names_who_purged_S47(entries: list[Entry], user: User) -> None:
    assert services.purge_process(PURGED, by=user).actor_id == user.pk
    assert services.check().intact
    assert "process.purged" in ACTIONS


def test_blanking_another_process_after_a_purge_fails_S47(entries: list[Entry]) -> None:
    services.purge_process(PURGED)
    _raw("UPDATE audit_entry SET actor_id = NULL, target_type = '', target_id = '' WHERE seq = 2")
    assert _problems() == [(2, "actor or object was changed")]


def test_blanking_an_entry_written_after_the_purge_fails_S47(
    entries: list[Entry], user: User
) -> None:
    services.purge_process(PURGED)
    later = services.log("note.created", user=user, target=user, process_id=PURGED)
    _raw(
        "UPDATE audit_entry SET actor_id = NULL, target_type = '', target_id = '' WHERE seq = %s",
        later.seq,
    )
    assert _problems() == [(later.seq, "actor or object was changed")]


def test_half_blanking_fails_even_after_a_purge_S47(entries: list[Entry], user: User) -> None:
    services.purge_process(PURGED)
    _raw("UPDATE audit_entry SET target_id = %s WHERE seq = 1", str(user.pk))
    assert _problems() == [(1, "actor or object was changed")]


def test_a_purge_entry_cannot_be_forged_S47(entries: list[Entry]) -> None:
    _raw("UPDATE audit_entry SET actor_id = NULL, target_type = '', target_id = '' WHERE seq = 1")
    # Turning the last entry into a purge of the process does not vouch for the blanking.
    _raw(
        "UPDATE audit_entry SET action = 'process.purged', process_id = %s WHERE seq = 4",
        PURGED.hex,
    )
    assert _problems() == [(1, "actor or object was changed"), (4, "was edited")]


def test_removing_the_purge_entry_shows_the_blanking_S47(entries: list[Entry]) -> None:
    services.purge_process(PURGED)
    fourth = Entry.objects.get(seq=4)
    # Even with the head moved back, so that the chain itself ends cleanly.
    _raw("DELETE FROM audit_entry WHERE seq = 5")
    _raw("UPDATE audit_head SET seq = 4, hash = %s", fourth.hash)
    assert _problems() == [(1, "actor or object was changed"), (3, "actor or object was changed")]


def test_a_second_purge_also_verifies_S47(entries: list[Entry], user: User) -> None:
    services.purge_process(PURGED, by=user)
    services.log("note.created", user=user, target=user, process_id=PURGED)
    services.purge_process(PURGED)
    assert Entry.objects.filter(process_id=PURGED).exclude(actor_id=None).count() == 0
    assert services.check().intact


def test_a_purge_is_all_or_nothing_S47(
    entries: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "log", fail)
    with pytest.raises(RuntimeError):
        services.purge_process(PURGED)
    assert _who_and_what(1)[0] is not None
    assert Entry.objects.count() == 4
