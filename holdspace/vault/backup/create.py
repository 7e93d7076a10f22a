"""Making a backup: a consistent snapshot, the keys and files, as an encrypted tar stream."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from django.conf import settings
from django.db import connection

from holdspace.lib import locks
from holdspace.vault import instance
from holdspace.vault.backup import state
from holdspace.vault.backup.common import (
    INSTANCE_KEY_MEMBER,
    MANIFEST,
    MANIFEST_VERSION,
    PGDUMP_MEMBER,
    SECRET_KEY_MEMBER,
    SQLITE_MEMBER,
    SUFFIX,
    BackupError,
    Progress,
    _data_dir,
    _data_files,
    _engine,
    _sqlite_path,
)
from holdspace.vault.backup.keys import (
    load_public_key,
)
from holdspace.vault.backup.stream import (
    _EncryptingWriter,
)


def _private_empty_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600, so what is written into it stays private
    whatever the umask (an empty file is also a valid empty SQLite database)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def _snapshot_sqlite(work: Path) -> Path:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(
            f"There is no database at {source_path} yet, so there is nothing to back up "
            "(run `holdspace migrate` first)."
        )
    target = _private_empty_file(work / "holdspace.sqlite3")
    # The online backup API copies a consistent snapshot while Holdspace keeps running.
    try:
        with (
            contextlib.closing(sqlite3.connect(source_path, timeout=20)) as source,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)
    except sqlite3.Error as error:
        raise BackupError(f"The database could not be copied: {error}.") from None
    return target


def _pg_invocation(program: str, arguments: list[str]) -> tuple[list[str], dict[str, str]]:
    """Command line and environment for pg_dump/pg_restore on the configured
    database; the password travels in PGPASSWORD, never on the command line."""
    from django.db.backends.postgresql.client import DatabaseClient

    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not installed; it comes with the PostgreSQL client tools "
            "(Debian: apt install postgresql-client)."
        )
    config: dict[str, Any] = connection.settings_dict
    _args, extra = DatabaseClient.settings_to_cmd_args_env(config, [])
    command = [executable, "--no-password", *arguments]
    for flag, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if config.get(key):
            command.append(f"{flag}={config[key]}")
    service = config.get("OPTIONS", {}).get("service")
    database = config.get("NAME") or (f"service={service}" if service else "")
    if database:
        command.append(f"--dbname={database}")
    return command, {**os.environ, **(extra or {})}


def _run_pg(program: str, arguments: list[str]) -> None:
    command, environment = _pg_invocation(program, arguments)
    result = subprocess.run(  # noqa: S603  (fixed program, arguments from settings)
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {result.returncode}"
        raise BackupError(f"{program} failed: {reason}")


def _snapshot_database(engine: str, work: Path) -> tuple[str, Path]:
    if engine == "sqlite":
        return SQLITE_MEMBER, _snapshot_sqlite(work)
    target = _private_empty_file(work / "holdspace.pgdump")
    _run_pg("pg_dump", ["--format=custom", f"--file={target}"])
    return PGDUMP_MEMBER, target


def _key_members() -> list[tuple[str, bytes]]:
    try:
        key = instance.instance_key()
    except instance.InstanceKeyError as error:
        raise BackupError(str(error)) from None
    return [
        (INSTANCE_KEY_MEMBER, base64.b64encode(key) + b"\n"),
        # The key in effect, wherever it came from (variable, file, or generated).
        (SECRET_KEY_MEMBER, settings.SECRET_KEY.encode("utf-8") + b"\n"),
    ]


class _Counter:
    """Counts plaintext bytes added and reports them to ``progress``."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress

    def add(self, size: int) -> None:
        self.done += size
        if self._progress is not None:
            self._progress(self.done, max(self.total, self.done))


class _HashingReader:
    def __init__(self, source: IO[bytes], counter: _Counter) -> None:
        self._source = source
        self._counter = counter
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.hash.update(data)
        self._counter.add(len(data))
        return data


def _member_info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(mtime)
    return info


def _add_file(tar: tarfile.TarFile, name: str, path: Path, counter: _Counter) -> dict[str, Any]:
    with path.open("rb") as handle:
        status = os.fstat(handle.fileno())
        reader = _HashingReader(handle, counter)
        tar.addfile(_member_info(name, status.st_size, status.st_mtime), cast(IO[bytes], reader))
    return {"path": name, "size": status.st_size, "sha256": reader.hash.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, counter: _Counter) -> dict[str, Any]:
    tar.addfile(_member_info(name, len(data), time.time()), io.BytesIO(data))
    counter.add(len(data))
    return {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _holdspace_version() -> str:
    try:
        return importlib.metadata.version("holdspace")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _write_archive(
    sink: BinaryIO,
    public_key: bytes,
    engine: str,
    work: Path,
    skip: set[Path],
    progress: Progress | None,
) -> None:
    member, database = _snapshot_database(engine, work)
    keys = _key_members()
    files = _data_files(skip)
    total = database.stat().st_size + sum(len(data) for _name, data in keys)
    total += sum(path.stat().st_size for _name, path in files)
    counter = _Counter(total, progress)
    writer = _EncryptingWriter(sink, public_key)
    # tarfile only calls write() on it.
    archive = cast(IO[bytes], writer)
    with tarfile.open(fileobj=archive, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        entries = [_add_file(tar, member, database, counter)]
        entries += [_add_bytes(tar, name, data, counter) for name, data in keys]
        for name, path in files:
            # An attachment deleted while the backup runs is simply not in it.
            with contextlib.suppress(FileNotFoundError):
                entries.append(_add_file(tar, name, path, counter))
        manifest = {
            "format": MANIFEST_VERSION,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "holdspace_version": _holdspace_version(),
            "database_engine": engine,
            "files": entries,
        }
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"), counter)
    writer.close()


def _file_name() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"holdspace-{stamp}{SUFFIX}"


def default_output() -> Path:
    """``DATA_DIR/backups/holdspace-<UTC timestamp>.hsbackup``."""
    return _data_dir() / "backups" / _file_name()


def output_path(value: Path) -> Path:
    """Where ``backup --output VALUE`` writes: VALUE itself, or a new file
    named like the default one if VALUE is a directory."""
    value = value.expanduser().resolve()
    return value / _file_name() if value.is_dir() else value


def _open_staging(output: Path, staging: Path) -> int:
    """The half-written file, created 0600 and locked while we write it; one
    that no running backup holds is a crash's leftover and is replaced."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        state.remove_stale(output.parent)
        descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(
            f"{staging} exists: another backup is being written there right now. Wait for it "
            "to finish, or choose another file name."
        ) from None
    except OSError as error:
        raise BackupError(f"Cannot write {output}: {error.strerror}.") from None
    locks.try_lock(descriptor)
    return descriptor


def create_backup(output: Path, progress: Progress | None = None) -> Path:
    """Write an encrypted backup to ``output`` and return its path.

    The database snapshot is staged next to ``output`` (on its disk, not the
    data directory's). ``progress(done, total)`` is called with plaintext
    bytes as they are added. Raises BackupError if no public key is
    configured, ``output`` exists, or anything cannot be read or written;
    then no file is left. What crashed backups left there is removed first.
    """
    public_key = load_public_key()
    engine = _engine()
    output = output.expanduser().resolve()
    staging = output.with_name(output.name + ".tmp")
    if output.exists():
        raise BackupError(f"{output} already exists; choose another file name.")
    descriptor = _open_staging(output, staging)
    state.remove_stale(_data_dir())  # where older versions staged their snapshots
    try:
        work = state.make_work_dir(output.parent, "backup")
    except OSError as error:
        os.close(descriptor)
        staging.unlink(missing_ok=True)
        raise BackupError(f"Cannot write next to {output}: {error.strerror}.") from None
    try:
        with state.held(work), os.fdopen(descriptor, "wb") as sink:
            _write_archive(sink, public_key, engine, work, {output, staging, work}, progress)
            sink.flush()
            os.fsync(sink.fileno())
            os.replace(staging, output)
        state.fsync_directory(output.parent)
    except OSError as error:
        staging.unlink(missing_ok=True)
        name = f" ({error.filename})" if error.filename else ""
        raise BackupError(f"The backup could not be written: {error.strerror}{name}.") from None
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return output
