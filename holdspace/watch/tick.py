"""One tick of the watchdog: what `holdspace tick` and the embedded server's
background thread run."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connections
from django.utils import timezone

from holdspace.accounts import drafts, kept
from holdspace.closure.services import purge_due
from holdspace.commitments.services import note_due_dates
from holdspace.watch import collect, sources
from holdspace.watch.reminders import send_reminders

log = logging.getLogger("holdspace.watch")


def tick() -> tuple[int, int]:
    """(dates noted, reminders sent). Also deletes text kept from an expired
    session that nobody came back for (accounts.kept), deletes the closed
    processes whose agreed deletion day has come (closure), and lets each
    registered source act on the current alerts (a missed meeting opens the
    draft decision the group agreed on in advance)."""
    kept.purge()
    drafts.purge()
    purge_due()
    noted = note_due_dates()
    on_tick()
    return noted, send_reminders()


def on_tick() -> int:
    """What the registered sources did with today's alerts (how many things
    they opened)."""
    hooks = [source.on_tick for source in sources.SOURCES.values() if source.on_tick]
    if not hooks:
        return 0
    today = timezone.localdate()
    alerts = collect.current_alerts(today)
    return sum(hook(alerts, today) for hook in hooks)


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
