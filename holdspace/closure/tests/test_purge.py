"""Deleting a closed process reaches every kind of record every app keeps."""

from __future__ import annotations

import pytest

from holdspace.closure import services
from holdspace.closure.tests.closing import close_world
from holdspace.closure.tests.test_guard import _prepare
from holdspace.processes import registry
from holdspace.processes.models import Group, Process, Record
from holdspace.testing import World

pytestmark = pytest.mark.django_db


def test_it_deletes_records_of_every_kind(world: World) -> None:
    _prepare(world)
    close_world(world)
    kinds = set(Record.objects.filter(process=world.process).values_list("kind", flat=True))
    assert len(kinds) >= len(registry.KINDS) - 3, "records of nearly every kind"
    services.purge(Process.objects.get(pk=world.process.pk))
    assert not Record.objects.filter(process_id=world.process.pk).exists()
    assert not Group.objects.filter(process_id=world.process.pk).exists()
    assert Record.objects.filter(process=world.other_process).exists()
