"""Constants, errors, progress display and what lies in the data directory."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from pathlib import Path

import nacl.bindings as sodium
from django.conf import settings
from django.db import connection

from holdspace.lib import env
from holdspace.vault import crypto

Progress = Callable[[int, int], None]

MAGIC = b"HSBACKUP"
FORMAT_VERSION = 1
MANIFEST_VERSION = 1
SUFFIX = ".hsbackup"
PUBLIC_PREFIX = "hsbk-pub-"
PRIVATE_PREFIX = "hsbk-priv-"
KEY_ID_BYTES = 8
CHUNK_BYTES = 64 * 1024
_CHECKSUM_BYTES = 4
_SEALED_BYTES = crypto.KEY_BYTES + sodium.crypto_box_SEALBYTES  # 80
_AD_BYTES = len(MAGIC) + 1 + KEY_ID_BYTES + _SEALED_BYTES  # 97
_STREAM_HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES  # 24
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_LENGTH = struct.Struct(">I")
_COPY_BYTES = 1024 * 1024
_MANIFEST_MAX_BYTES = 64 * 1024 * 1024

MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/holdspace.sqlite3"
PGDUMP_MEMBER = "database/holdspace.pgdump"
INSTANCE_KEY_MEMBER = "keys/instance_key"
SECRET_KEY_MEMBER = "keys/secret_key"  # noqa: S105  (a name in the archive)
_FIXED_MEMBERS = frozenset({SQLITE_MEMBER, PGDUMP_MEMBER, INSTANCE_KEY_MEMBER, SECRET_KEY_MEMBER})
_SQLITE_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal")
_SQLITE_PAGE_ONE = 108  # the file header and page 1's b-tree header

_DAMAGED = (
    "The backup is damaged or was altered (authentication failed); "
    "nothing was restored. Use another copy of the backup."
)
_TRUNCATED = (
    "The backup ends too early: the file is incomplete (an interrupted copy?); "
    "nothing was restored. Use a complete copy of the backup."
)


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what to do."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _data_dir() -> Path:
    return Path(settings.DATA_DIR).resolve()


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"]).resolve()


def sqlite_is_empty(path: Path) -> bool:
    """Whether the SQLite file at ``path`` holds no tables (or does not exist).

    Read from the file's first page, without opening it with SQLite, which
    would create -wal and -shm files. Merely opening a missing database (as
    any command does) leaves one page with no table on it. A WAL with content
    may hold tables not yet written back: not empty.
    """
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(_SQLITE_PAGE_ONE)
    except FileNotFoundError:
        return True
    if not head:
        return True
    if len(head) < _SQLITE_PAGE_ONE or not head.startswith(b"SQLite format 3\0"):
        return False  # not known to be empty
    # Page 1 holds the schema table: a leaf table page (0x0D) with no cells.
    return head[100] == 0x0D and head[103:105] == b"\0\0"


def database_is_empty() -> bool:
    """Whether the configured database holds no tables at all."""
    if connection.vendor == "sqlite":
        return sqlite_is_empty(_sqlite_path())
    connection.close()
    return not connection.introspection.table_names()


def _secret_key_file() -> Path | None:
    """The file the secret key comes from, if any (HOLDSPACE_SECRET_KEY_FILE or the default)."""
    configured = env.optional_string("HOLDSPACE_SECRET_KEY_FILE")
    if configured is not None:
        return Path(configured).expanduser().resolve()
    if env.optional_string("HOLDSPACE_SECRET_KEY") is not None:
        return None
    return _data_dir() / "secret_key"


class _Excluded:
    """What in the data directory never goes into files/ (nor comes out of it): the
    database and keys (they have their own place), backups, half-written files."""

    def __init__(self, extra: set[Path] | None = None) -> None:
        self.root = _data_dir()
        self.paths = {Path(settings.VAULT_INSTANCE_KEY_FILE).resolve(), self.root / "secret_key"}
        self.paths |= extra or set()
        secret_file = _secret_key_file()
        if secret_file is not None:
            self.paths.add(secret_file)
        if connection.vendor == "sqlite":
            self.paths.add(_sqlite_path())

    def __call__(self, path: Path) -> bool:
        if path.parent == self.root and (
            path.name in ("backups", "demo-credentials.json", "restore-in-progress")
            or path.name.endswith(_SQLITE_SUFFIXES)
        ):
            return True
        return path in self.paths or path.name.endswith((".tmp", SUFFIX))


def _data_files(skip: set[Path]) -> list[tuple[str, Path]]:
    """Every other regular file of the data directory, as (member name, path)."""
    excluded = _Excluded(skip)
    found = []
    for directory, subdirectories, names in os.walk(excluded.root):
        here = Path(directory)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not excluded(here / name) and not (here / name).is_symlink()
        )
        for name in sorted(names):
            path = here / name
            if excluded(path) or path.is_symlink() or not path.is_file():
                continue
            found.append(("files/" + path.relative_to(excluded.root).as_posix(), path))
    return found


def human_size(size: int) -> str:
    """``1.5 MB`` for 1_500_000 (decimal units, as disks are sold)."""
    if size < 1000:
        return f"{size} bytes"
    units = ("kB", "MB", "GB", "TB")
    value, index = size / 1000, 0
    while value >= 1000 and index < len(units) - 1:
        value, index = value / 1000, index + 1
    return f"{value:.1f} {units[index]}"


class ProgressPrinter:
    """A ``progress`` callback that shows percent and bytes: one redrawn line on a
    terminal, a line per 10 % otherwise (logs, cron mails)."""

    def __init__(self, write: Callable[[str], None], label: str, *, terminal: bool) -> None:
        self._write = write
        self._label = label
        self._terminal = terminal
        self._shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        step = 1 if self._terminal else 10
        if percent // step == self._shown // step and self._shown >= 0:
            return
        self._shown = percent
        line = f"{self._label}: {percent:3d}% ({human_size(done)} of {human_size(total)})"
        self._write(f"\r{line}" if self._terminal else f"{line}\n")

    def finish(self) -> None:
        """End the redrawn line, if one was drawn."""
        if self._terminal and self._shown >= 0:
            self._write("\n")
        self._shown = -1
