"""One tick of the watchdog: what `holdspace tick` and the embedded server's
background thread run."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connections

from holdspace.accounts import drafts, kept
from holdspace.commitments.services import note_due_dates
from holdspace.watch.reminders import send_reminders

log = logging.getLogger("holdspace.watch")


def tick() -> tuple[int, int]:
    """(dates noted, reminders sent). Also deletes text kept from an expired
    session that nobody came back for (accounts.kept)."""
    kept.purge()
    drafts.purge()
    return note_due_dates(), send_reminders()


def run_every(seconds: float, stop: threading.Event) -> None:
    """Tick now and then until ``stop`` is set; a failure is logged (without
    content) and the next tick tries again."""
    while not stop.wait(seconds):
        try:
            close_old_connections()
            tick()
        except Exception:  # keep ticking; the log says it failed
            log.exception("tick.failed")
        finally:
            connections.close_all()


def start_in_background(seconds: float) -> threading.Event:
    """Start ticking in a daemon thread (the embedded server); returns the
    event that stops it."""
    stop = threading.Event()
    threading.Thread(
        target=run_every, args=(seconds, stop), name="holdspace-tick", daemon=True
    ).start()
    return stop
