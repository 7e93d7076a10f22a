"""A full disk is recognised in every shape it takes (S53)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import psycopg.errors
import pytest
from django.db import DatabaseError, OperationalError

from holdspace.lib import storage


def _wrapped(cause: Exception) -> Exception:
    """As Django raises a driver's error: its own class, the driver's as cause."""
    try:
        try:
            raise cause
        except Exception as error:
            raise OperationalError(str(error)) from error
    except OperationalError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("database or disk is full"),
        _wrapped(sqlite3.OperationalError("database or disk is full")),
        psycopg.errors.DiskFull("could not extend file: No space left on device"),
        _wrapped(psycopg.errors.DiskFull("could not write block")),
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EDQUOT, "Disk quota exceeded"),
    ],
    ids=["sqlite", "sqlite-via-django", "postgresql", "postgresql-via-django", "enospc", "quota"],
)
def test_a_full_disk_is_recognised_S53(error: Exception) -> None:
    assert storage.is_full(error)


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("database is locked"),
        _wrapped(sqlite3.OperationalError("disk I/O error")),
        psycopg.errors.UniqueViolation("duplicate key"),
        DatabaseError("Forced update did not affect any rows."),
        OSError(errno.EACCES, "Permission denied"),
        RuntimeError("database or disk"),
    ],
    ids=["locked", "io-error", "unique", "no-rows", "permission", "other"],
)
def test_other_errors_are_not_taken_for_a_full_disk_S53(error: Exception) -> None:
    assert not storage.is_full(error)


def test_a_full_disk_is_found_behind_other_errors_S53() -> None:
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise RuntimeError("the outbox could not be written") from None
    except RuntimeError as error:
        # `from None` hides the cause from tracebacks, not from __context__.
        assert storage.is_full(error)


def test_low_space_is_reported_below_the_threshold_only_S53(tmp_path: Path) -> None:
    free = storage.free_bytes(tmp_path)
    assert free is not None and free > 0
    beyond = free // 1_000_000 + 1_000
    message = storage.low_space(tmp_path / "not" / "made" / "yet", beyond)
    assert message is not None
    assert f"HOLDSPACE_MIN_FREE_MB is {beyond}" in message and str(tmp_path) in message
    assert storage.low_space(tmp_path, 0) is None
    assert storage.low_space(tmp_path, 1) is None or free < 1_000_000
