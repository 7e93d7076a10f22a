"""What backups and restores leave in a directory while they run, and after a crash.

A restore works in ``DATA_DIR/.restore-<random>.tmp`` and writes the marker
``DATA_DIR/restore-in-progress`` before it starts. The marker says in which
phase it is:

``staging``
    Decrypting, unpacking and checking into the work directory; nothing is
    in place yet. A rerun throws the work directory away and starts again.
``switching``
    Everything checked out; the files are being moved into place (on
    PostgreSQL, after pg_restore). The marker lists the moves, so a rerun
    finishes them. Each move is a rename: a file is either still staged or
    in place.

The marker goes last. While it exists, every other `holdspace` command
refuses to run (system check holdspace.E030), so that nothing — above all no
demo — is created on half-restored keys. A work directory without a marker
is garbage (killed before the marker was written, or after it was removed);
the next restore or `holdspace prepare` removes it.

A backup works in ``.backup-<random>.tmp`` next to its output file and holds
an ``flock`` on it while it runs; a directory nobody holds is a leftover of a
crash and is removed by the next backup or restore.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from holdspace.lib import locks
from holdspace.lib.env import write_private_file
from holdspace.vault import crypto
from holdspace.vault.backup.common import SUFFIX, _data_dir

MARKER = "restore-in-progress"
STAGING = "staging"
SWITCHING = "switching"
_MARKER_FORMAT = 1


def marker_path() -> Path:
    return _data_dir() / MARKER


def read_marker() -> dict[str, Any] | None:
    """The marker of an unfinished restore; one that cannot be read counts as
    ``staging`` (the marker is replaced atomically, so this means damage)."""
    path = marker_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        return {"phase": STAGING}
    try:
        marker = json.loads(text)
    except ValueError:
        return {"phase": STAGING}
    if not isinstance(marker, dict) or marker.get("format") != _MARKER_FORMAT:
        return {"phase": STAGING}
    return marker


def write_marker(marker: dict[str, Any]) -> None:
    """Replace the marker atomically and durably."""
    path = marker_path()
    staging = path.with_name(path.name + ".tmp")
    staging.unlink(missing_ok=True)
    write_private_file(staging, json.dumps({**marker, "format": _MARKER_FORMAT}, indent=1))
    _fsync_file(staging)
    os.replace(staging, path)
    fsync_directory(path.parent)


def remove_marker() -> None:
    marker_path().unlink(missing_ok=True)
    fsync_directory(_data_dir())


def work_directories(directory: Path, purpose: str) -> list[Path]:
    """The ``.<purpose>-*.tmp`` work directories in ``directory``."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob(f".{purpose}-*.tmp")
        if path.is_dir() and not path.is_symlink()
    )


def make_work_dir(directory: Path, purpose: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    work = directory / f".{purpose}-{crypto.random_bytes(6).hex()}.tmp"
    work.mkdir(mode=0o700)
    return work


@contextlib.contextmanager
def held(work: Path) -> Iterator[None]:
    """Hold a lock on ``work`` while it is in use, so that cleaning up never
    takes the directory of a backup that is still running."""
    descriptor = os.open(work, os.O_RDONLY)
    try:
        locks.try_lock(descriptor)
        yield
    finally:
        os.close(descriptor)


def _unused(path: Path) -> bool:
    """Whether nobody holds ``path``'s lock (then it is a crash's leftover)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        return locks.try_lock(descriptor)
    finally:
        os.close(descriptor)


def remove_stale(directory: Path) -> int:
    """Remove what crashed backups left in ``directory``: work directories and
    half-written ``.hsbackup.tmp`` files that no running backup holds.
    Returns how many were removed."""
    removed = 0
    for work in work_directories(directory, "backup"):
        if _unused(work):
            shutil.rmtree(work, ignore_errors=True)
            removed += 1
    if directory.is_dir():
        for partial in directory.glob(f"*{SUFFIX}.tmp"):
            if partial.is_file() and not partial.is_symlink() and _unused(partial):
                partial.unlink(missing_ok=True)
                removed += 1
    return removed


def interrupted_restore() -> str | None:
    """What to do about a restore that is under way or was interrupted in the
    data directory, or None when there is none."""
    root = _data_dir()
    marker = read_marker()
    if marker is None:
        return None
    if marker.get("phase") == SWITCHING:
        return (
            f"A restore into the data directory {root} is under way or was interrupted while "
            "it put the restored files in place. Nothing else may run here until it is "
            "finished: run `holdspace restore FILE --key KEY` again with the same backup; "
            "it finishes what was begun."
        )
    names = ", ".join([MARKER, *(path.name for path in work_directories(root, "restore"))])
    return (
        f"A restore into the data directory {root} is under way or was interrupted before "
        "it put anything in place. Run `holdspace restore FILE --key KEY` again: it starts "
        f"afresh. To give the restore up instead, delete {names} in {root}."
    )


def discard_restore_leftovers() -> None:
    """Remove what an interrupted restore left while it was still staging (its
    work directories, a staging marker). Call only holding the maintenance
    lock, so that no restore is running; never touches a switch under way."""
    marker = read_marker()
    if marker is not None and marker.get("phase") == SWITCHING:
        return
    for work in work_directories(_data_dir(), "restore"):
        shutil.rmtree(work, ignore_errors=True)
    if marker is not None:
        remove_marker()


def _fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
