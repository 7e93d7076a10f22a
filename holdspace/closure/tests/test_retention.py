"""Retention (S40): on the agreed day, `holdspace tick` deletes the closed
process — records, groups, grants and keys — keeps a content-free audit
entry, and nothing of it is left in the database file."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from holdspace.audit import services as audit
from holdspace.audit.models import Entry
from holdspace.closure import services
from holdspace.closure.tests.closing import close_world
from holdspace.processes.models import Group, Membership, Party, Process, Record
from holdspace.processes.services import Refused
from holdspace.testing import World, stored_bytes
from holdspace.testing.world import fresh_world
from holdspace.vault.models import Compartment, DataKey, Grant, Wrap

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="searches the SQLite files"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    """Committed rows: the database file is what is searched."""
    with fresh_world() as built:
        yield built


def _canaries(process: Process) -> list[bytes]:
    """Bytes only this process left in the file: its records' ciphertexts and
    its sealed keys."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.body FROM processes_note n JOIN processes_record r "
            "ON r.id = n.record_ptr_id WHERE r.process_id = %s",
            [process.pk.hex],
        )
        found = [
            bytes(row[0]) if not isinstance(row[0], str) else row[0].encode()
            for row in cursor.fetchall()
        ]
    found += [bytes(w.sealed) for w in Wrap.objects.filter(compartment__process=process)[:5]]
    return [canary for canary in found if len(canary) >= 32]


def test_it_deletes_the_process_on_its_day_and_leaves_nothing_in_the_file_S40(
    world: World,
) -> None:
    delete_on = timezone.localdate() + datetime.timedelta(days=30)
    close_world(world, delete_on=delete_on)
    process, other = world.process, world.other_process
    canaries = _canaries(process)
    assert len(canaries) >= 5
    connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = stored_bytes()
    assert all(canary in stored for canary in canaries)
    # The day before: nothing happens.
    with time_machine.travel(delete_on - datetime.timedelta(days=1), tick=False):
        call_command("tick", stdout=io.StringIO())
    assert Process.objects.filter(pk=process.pk).exists()
    with time_machine.travel(delete_on, tick=False):
        call_command("tick", stdout=io.StringIO())
    assert not Process.objects.filter(pk=process.pk).exists()
    for model in (Record, Group, Party, Compartment):
        assert not model.objects.filter(process_id=process.pk).exists(), model
    assert not Membership.objects.filter(group__process_id=process.pk).exists()
    assert not DataKey.objects.filter(process_id=process.pk).exists()
    assert not Grant.objects.filter(compartment__process_id=process.pk).exists()
    # The other process is untouched.
    assert Record.objects.filter(process=other).exists()
    # The log keeps that it happened, and who did what is gone from it.
    purged = Entry.objects.get(process_id=process.pk, action=audit.PURGED)
    assert purged.actor_id is None
    assert not Entry.objects.filter(process_id=process.pk).exclude(actor_id=None).exists()
    assert audit.check().problems == []
    stored = stored_bytes()
    for canary in canaries:
        assert canary not in stored


def test_it_keeps_a_reopened_process(world: World) -> None:
    delete_on = timezone.localdate() + datetime.timedelta(days=30)
    close_world(world, delete_on=delete_on)
    services.reopen(
        world.process,
        by=world.personas["support-coordinator"],
        group=world.groups["support"],
        reasons="Not over yet.",
    )
    assert services.purge_due(delete_on + datetime.timedelta(days=1)) == 0
    assert Process.objects.filter(pk=world.process.pk).exists()


def test_it_never_deletes_a_process_that_is_not_closed(world: World) -> None:
    with pytest.raises(Refused):
        services.purge(world.process)
    assert Process.objects.filter(pk=world.process.pk).exists()
