"""One memory-hard computation at a time in each process.

Every password check and every password-derived key is an Argon2id run that
takes 64–100 MiB for a moment. A gunicorn worker serves several threads, so a
burst of log-ins would take that many times the memory and could push a small
server into swap or the out-of-memory killer. Behind this gate they queue
instead: a log-in then waits a fraction of a second longer, and a worker's
memory stays bounded whatever the burst.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_GATE = threading.BoundedSemaphore(1)


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """Hold the process's only slot for memory-hard work."""
    with _GATE:
        yield
