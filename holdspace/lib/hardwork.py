"""One memory-hard computation at a time in each process.

Every password check and every password-derived key is an Argon2id run that
takes 64–100 MiB for a moment. A gunicorn worker serves several threads, so a
burst of log-ins would take that many times the memory and could push a small
server into swap or the out-of-memory killer. Behind this gate they queue
instead: a log-in then waits a fraction of a second longer, and a worker's
memory stays bounded whatever the burst.

The queue is bounded too (S50): when more than PASSWORD_QUEUE_LENGTH
requests already wait, or one has waited PASSWORD_QUEUE_SECONDS, the gate
raises Busy, and the person is asked to try again in a moment
(accounts.middleware.BusyMiddleware) instead of waiting without end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

# What Retry-After says when the gate is overfull, in seconds.
RETRY_AFTER = 5

_slot = threading.Lock()
_state = threading.Lock()
_waiting = 0


class Busy(Exception):
    """Too much memory-hard work is waiting in this process; try again soon."""


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """Hold the process's only slot for memory-hard work.

    Raises Busy, without doing the work, when PASSWORD_QUEUE_LENGTH others
    already wait for the slot, or when it is not free within
    PASSWORD_QUEUE_SECONDS. Not re-entrant: never nest it.
    """
    global _waiting
    with _state:
        if _waiting >= settings.PASSWORD_QUEUE_LENGTH and _slot.locked():
            raise Busy("too many waiting")
        _waiting += 1
    try:
        acquired = _slot.acquire(timeout=float(settings.PASSWORD_QUEUE_SECONDS))
    finally:
        with _state:
            _waiting -= 1
    if not acquired:
        raise Busy("waited too long")
    try:
        yield
    finally:
        _slot.release()


def waiting() -> int:
    """How many wait for the slot now (for tests and the bench)."""
    with _state:
        return _waiting
