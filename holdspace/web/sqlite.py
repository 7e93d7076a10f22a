"""One idle connection to the SQLite database stays open in each server process (S53).

Django closes its SQLite connection after every request. When the last
connection to a WAL database closes, SQLite removes the ``-wal`` and ``-shm``
files, and the next connection has to create the ``-shm`` file again: on a
full disk it cannot, and then even reading fails ("disk I/O error"). One
connection that stays open keeps both files, so that pages can still be read
when the disk is full; only writes fail, and those get the calm page.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from django.db import connection

_held: dict[int, sqlite3.Connection] = {}  # by process id: never across a fork
_lock = threading.Lock()


def is_held() -> bool:
    return os.getpid() in _held


def hold_open() -> None:
    """Open the keeping connection of this process, if the database is SQLite
    and exists (never creates it). Never raises."""
    if connection.vendor != "sqlite":
        return
    path = Path(str(connection.settings_dict["NAME"]))
    with _lock:
        if os.getpid() in _held or not path.is_file():
            return
        try:
            keeper = sqlite3.connect(path, check_same_thread=False)
            # A first read opens the -wal and -shm files; they stay open with it.
            keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except sqlite3.Error:
            return
        _held[os.getpid()] = keeper
