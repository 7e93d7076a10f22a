"""Is the disk full? Recognising "no space left" wherever it comes from (S53).

A full disk shows up in several shapes: SQLite says "database or disk is
full" (SQLITE_FULL), PostgreSQL raises SQLSTATE 53100 (psycopg's DiskFull),
and plain file writes raise OSError ENOSPC (or EDQUOT, a full quota). Django
wraps database errors in its own classes and keeps the original as the
cause, so :func:`is_full` walks the whole chain.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

_SQLITE_FULL = 13
_SQLITE_FULL_TEXT = "database or disk is full"
_PG_DISK_FULL = "53100"
_OS_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def _says_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in _OS_FULL:
        return True
    # sqlite3 errors carry their code (Python 3.11+); one made by hand only its text.
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF == _SQLITE_FULL:
        return True
    if _SQLITE_FULL_TEXT in str(error):
        return True
    # psycopg 3 (sqlstate) and psycopg 2 (pgcode).
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return state == _PG_DISK_FULL


def is_full(error: BaseException | None) -> bool:
    """True if ``error``, or anything it was raised from, says that the disk or
    the database is full. Never raises."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if _says_full(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def free_bytes(path: Path) -> int | None:
    """Free space for an unprivileged process on the file system holding
    ``path`` (or its nearest existing parent); None if it cannot be told."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None


def low_space(path: Path, minimum_mb: int) -> str | None:
    """A warning when less than ``minimum_mb`` megabytes are free where ``path``
    lives (0: never), else None."""
    if minimum_mb <= 0:
        return None
    free = free_bytes(path)
    if free is None or free >= minimum_mb * 1_000_000:
        return None
    return (
        f"Only {free // 1_000_000} MB are free on the disk of the data directory {path} "
        f"(HOLDSPACE_MIN_FREE_MB is {minimum_mb}). When the disk is full, nothing can be "
        "saved: people are shown their text to copy, and reading still works. Free some "
        "space (old backups, logs) or move the data directory to a larger disk."
    )
