"""Advisory locks, so that two maintenance commands never work on one data
directory at once (`holdspace prepare`, `holdspace restore`).

The lock is an ``flock`` on the directory itself: nothing is left behind,
and the kernel releases it when the process ends, however it ends
(``kill -9`` included), so a crash never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings

POLL_SECONDS = 0.2


class LockTimeout(Exception):
    """Another process held the lock for longer than we were willing to wait."""


def try_lock(descriptor: int) -> bool:
    """Take an exclusive lock on an open file or directory without waiting."""
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def exclusive(
    directory: Path, *, timeout: float, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (created 0700 if missing).

    If another process holds it, ``waiting()`` is called once and we wait up
    to ``timeout`` seconds (0: not at all); then LockTimeout is raised.
    """
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        if not try_lock(descriptor):
            if waiting is not None:
                waiting()
            deadline = time.monotonic() + timeout
            while not try_lock(descriptor):
                if time.monotonic() >= deadline:
                    raise LockTimeout(str(directory))
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def maintenance(
    *, timeout: float, waiting: Callable[[], None] | None = None
) -> contextlib.AbstractContextManager[None]:
    """The lock of the data directory held by `prepare` and `restore`."""
    return exclusive(Path(settings.DATA_DIR), timeout=timeout, waiting=waiting)
