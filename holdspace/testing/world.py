"""The test world, built once and shared, or built fresh for one test.

See the `world` fixture in ``holdspace/conftest.py``: a module's tests share
one world inside a transaction that is never committed; each test gets its
own copies of the world's rows and the keyrings as they were when it was
built.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction

from holdspace.testing import BUILDERS, World, build_world
from holdspace.vault.keyring import using


class SharedWorld:
    """One world, open inside a transaction until :meth:`close`."""

    def __init__(self, blocker: Any) -> None:
        self._unblocked = blocker.unblock()
        self._unblocked.__enter__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._world: World | None = build_world()
        self._keyrings = {
            process: (keyring, copy.deepcopy(keyring.__dict__))
            for process, keyring in BUILDERS.items()
            if process in (self._world.process.pk, self._world.other_process.pk)
        }

    def for_a_test(self) -> World:
        """The world as built: its rows read again (a test's changes to the
        objects are gone with its savepoint) and its keyrings as they were."""
        if self._world is None:
            pytest.fail(
                "the shared world was closed by a test without it in the same module; "
                "the tests on the world must run first (see conftest)"
            )
        for keyring, state in self._keyrings.values():
            keyring.__dict__.update(copy.deepcopy(state))
        return _read_again(self._world)

    def close(self) -> None:
        if self._world is None:
            return
        self._world = None
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        self._unblocked.__exit__(None, None, None)


def _read_again(world: World) -> World:
    def again(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: again(item) for key, item in value.items()}
        if hasattr(value, "_meta"):
            return type(value)._base_manager.get(pk=value.pk)
        return value

    return dataclasses.replace(
        world,
        **{
            field.name: again(getattr(world, field.name))
            for field in dataclasses.fields(world)
            if field.name != "keyring"
        },
    )


@contextmanager
def fresh_world() -> Iterator[World]:
    """A world of its own, for a test whose rows must be committed (threads,
    a live server): use it in a fixture that asks for `transactional_db`."""
    built = build_world()
    with using(built.keyring):
        yield built
