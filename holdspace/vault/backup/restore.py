"""Restoring a backup: decrypt and verify everything first, then place it, then check it."""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

from django.conf import settings
from django.db import DatabaseError, connection

from holdspace.lib import env
from holdspace.lib.env import write_private_file
from holdspace.vault import crypto, instance
from holdspace.vault.backup.common import (
    _COPY_BYTES,
    _DAMAGED,
    _FIXED_MEMBERS,
    _MANIFEST_MAX_BYTES,
    INSTANCE_KEY_MEMBER,
    MANIFEST,
    MANIFEST_VERSION,
    PGDUMP_MEMBER,
    SECRET_KEY_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    Progress,
    _data_dir,
    _engine,
    _Excluded,
    _sqlite_path,
)
from holdspace.vault.backup.create import (
    _make_work_dir,
    _run_pg,
)
from holdspace.vault.backup.keys import (
    parse_private_key,
)
from holdspace.vault.backup.stream import (
    _DecryptingReader,
)


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did; ``notes`` are things the administrator should know."""

    created_at: str
    holdspace_version: str
    database_engine: str
    entries: int
    audit_entries: int | None
    pending_migrations: int
    notes: tuple[str, ...] = ()


@dataclass
class _Extracted:
    root: Path
    found: dict[str, tuple[int, str]] = field(default_factory=dict)  # name: (size, sha256)
    manifest: dict[str, Any] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        return self.root.joinpath(*PurePosixPath(name).parts)


def _holdspace_data_found(engine: str) -> list[str]:
    """What in the target says it already holds Holdspace data."""
    found = []
    if engine == "sqlite":
        name = _sqlite_path()
        found += [
            str(p) for p in (name, *(Path(f"{name}{s}") for s in ("-wal", "-shm"))) if p.exists()
        ]
    else:
        try:
            tables = connection.introspection.table_names()
        except DatabaseError as error:
            raise BackupError(f"Cannot connect to the PostgreSQL database: {error}") from None
        if tables:
            found.append(f"the PostgreSQL database ({len(tables)} tables)")
    key = Path(settings.VAULT_INSTANCE_KEY_FILE)
    if key.exists():
        found.append(str(key))
    # A secret_key file on its own does not count: every Holdspace command
    # creates one at start-up when it is missing, and alone it protects nothing.
    return found


def _require_empty_target(engine: str) -> None:
    found = _holdspace_data_found(engine)
    if found:
        raise BackupError(
            "A backup is only restored into an empty data directory, and this one already "
            f"holds Holdspace data: {', '.join(found)}. Nothing was changed. Point "
            "HOLDSPACE_DATA_DIR at a new, empty directory (and, on PostgreSQL, use an "
            "empty database), then restore again."
        )


def _member_name(member: tarfile.TarInfo, excluded: _Excluded) -> str:
    name = member.name
    parts = PurePosixPath(name).parts
    well_formed = (
        member.isreg()
        and bool(parts)
        and not name.startswith("/")
        and "\\" not in name
        and "\0" not in name
        and all(part not in ("", ".", "..") for part in parts)
    )
    if well_formed and (
        name in _FIXED_MEMBERS
        or name == MANIFEST
        or (parts[0] == "files" and len(parts) > 1 and not excluded(_file_target(name)))
    ):
        return name
    # Names are not shown: in files/ they may say something about the content.
    raise BackupError(
        "The backup holds an entry Holdspace does not write; it was not made by "
        "`holdspace backup`. Nothing was restored."
    )


def _file_target(name: str) -> Path:
    return _data_dir().joinpath(*PurePosixPath(name).parts[1:])


def _copy_out(handle: IO[bytes], target: Path) -> tuple[int, str]:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while block := handle.read(_COPY_BYTES):
            digest.update(block)
            size += len(block)
            out.write(block)
    return size, digest.hexdigest()


def _extract(
    source: IO[bytes], private_key: bytes, total: int, work: Path, progress: Progress | None
) -> _Extracted:
    """Decrypt and unpack into ``work``; every byte is authenticated on the way."""
    reader = _DecryptingReader(source, private_key, total, progress)
    extracted = _Extracted(root=work / "payload")
    extracted.root.mkdir(mode=0o700)
    manifest: bytes | None = None
    excluded = _Excluded()
    try:
        with tarfile.open(fileobj=cast(IO[bytes], reader), mode="r|") as tar:
            for member in tar:
                name = _member_name(member, excluded)
                if name in extracted.found or (name == MANIFEST and manifest is not None):
                    raise BackupError(_DAMAGED)
                handle = tar.extractfile(member)
                if handle is None:
                    raise BackupError(_DAMAGED)
                if name == MANIFEST:
                    manifest = handle.read(_MANIFEST_MAX_BYTES)
                else:
                    extracted.found[name] = _copy_out(handle, extracted.path(name))
        reader.finish()
    except tarfile.TarError:
        raise BackupError(
            "The backup decrypts but its content is not a valid archive; nothing was restored."
        ) from None
    extracted.manifest = _parse_manifest(manifest)
    return extracted


def _parse_manifest(data: bytes | None) -> dict[str, Any]:
    if data is None:
        raise BackupError("The backup has no manifest: it is incomplete. Nothing was restored.")
    try:
        manifest = json.loads(data)
        entries = {
            str(item["path"]): (int(item["size"]), str(item["sha256"]))
            for item in manifest["files"]
        }
        version = manifest["format"]
    except (ValueError, KeyError, TypeError):
        raise BackupError("The backup's manifest cannot be read. Nothing was restored.") from None
    if version != MANIFEST_VERSION:
        raise BackupError(
            f"The backup's manifest has format {version}, which this Holdspace cannot read."
        )
    manifest["entries"] = entries
    return dict(manifest)


def _check_contents(extracted: _Extracted, engine: str) -> None:
    """The archive against its manifest, and the pieces against what they must be."""
    if extracted.manifest["entries"] != extracted.found:
        raise BackupError(
            "The backup's contents do not match its manifest (missing, extra or changed "
            "files). Nothing was restored."
        )
    member = SQLITE_MEMBER if engine == "sqlite" else PGDUMP_MEMBER
    if member not in extracted.found:
        held = extracted.manifest.get("database_engine", "another database")
        raise BackupError(
            f"This backup holds a {held} database, but this Holdspace is configured for "
            f"{engine}. Restore it with the same kind of database."
        )
    for name in (INSTANCE_KEY_MEMBER, SECRET_KEY_MEMBER):
        if name not in extracted.found:
            raise BackupError("The backup lacks the instance keys. Nothing was restored.")
    text = extracted.path(INSTANCE_KEY_MEMBER).read_text(encoding="ascii", errors="replace")
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != crypto.KEY_BYTES:
        raise BackupError("The backup's instance key is not a 32-byte key. Nothing was restored.")
    if engine == "sqlite":
        _check_sqlite(extracted.path(SQLITE_MEMBER))


def _check_sqlite(path: Path) -> None:
    """SQLite's own integrity check, before the file goes anywhere."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as database:
            rows = database.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as error:
        raise BackupError(f"The backed-up database cannot be opened ({error}).") from None
    if rows != [("ok",)]:
        raise BackupError(
            "The backed-up database fails SQLite's integrity check; it was damaged before the "
            "backup was made. Nothing was restored."
        )


class _Placement:
    """Moves restored files into place, remembering how to take them out again."""

    def __init__(self) -> None:
        self._created: list[Path] = []
        self._directories: list[Path] = []
        self._replaced: list[tuple[Path, bytes]] = []
        self.database_restored = False

    def _parents(self, directory: Path) -> None:
        missing = []
        while not directory.exists():
            missing.append(directory)
            directory = directory.parent
        for path in reversed(missing):
            path.mkdir(mode=0o700)
            self._directories.append(path)

    def move(self, source: Path, target: Path) -> None:
        """``source`` to ``target``, never over an existing file."""
        self._parents(target.parent)
        try:
            # A hard link fails if the target exists: no check-then-write race.
            os.link(source, target)
            self._created.append(target)
            source.unlink()
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP):
                raise
            with source.open("rb") as handle:
                self._created.append(target)
                _copy_out(handle, target)

    def write(self, target: Path, content: str) -> None:
        self._parents(target.parent)
        write_private_file(target, content)
        self._created.append(target)

    def replace(self, target: Path, content: str) -> None:
        previous = target.read_bytes()
        staging = target.with_name(target.name + ".tmp")
        staging.unlink(missing_ok=True)
        write_private_file(staging, content)
        os.replace(staging, target)
        self._replaced.append((target, previous))

    def also_remove(self, *paths: Path) -> None:
        """Files that appear because of what was placed (SQLite's -wal, -shm)."""
        self._created.extend(paths)

    def undo(self) -> None:
        for path in reversed(self._created):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        for path, previous in self._replaced:
            with contextlib.suppress(OSError):
                path.write_bytes(previous)
        for directory in reversed(self._directories):
            with contextlib.suppress(OSError):
                directory.rmdir()


def _check_targets(extracted: _Extracted) -> None:
    """Refuse before changing anything if a restored file would overwrite another."""
    root = _data_dir()
    for name, (_size, digest) in extracted.found.items():
        if not name.startswith("files/"):
            continue
        target = _file_target(name)
        if not target.resolve().is_relative_to(root):
            raise BackupError(
                "A directory in the data directory is a link to elsewhere; a restored file "
                "would land outside it. Nothing was restored."
            )
        if target.exists() and _sha256_of(target) != digest:
            raise BackupError(
                f"{target} already exists with other content; restore never overwrites. "
                "Nothing was restored."
            )


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_COPY_BYTES):
            digest.update(block)
    return digest.hexdigest()


def _place_secret_key(extracted: _Extracted, placed: _Placement, notes: list[str]) -> None:
    content = extracted.path(SECRET_KEY_MEMBER).read_text(encoding="utf-8")
    if content.strip() == settings.SECRET_KEY:
        return
    if (
        env.optional_string("HOLDSPACE_SECRET_KEY_FILE") is not None
        or env.optional_string("HOLDSPACE_SECRET_KEY") is not None
    ):
        # The administrator manages this key; restore does not overwrite it.
        notes.append(
            "The backup's secret key was not restored: HOLDSPACE_SECRET_KEY or "
            "HOLDSPACE_SECRET_KEY_FILE is set, and restore does not overwrite a key you "
            "manage. People may have to log in again."
        )
        return
    target = _data_dir() / "secret_key"
    if target.exists():
        placed.replace(target, content)
    else:
        placed.write(target, content)


def _place_all(extracted: _Extracted, engine: str, placed: _Placement, notes: list[str]) -> None:
    key_text = extracted.path(INSTANCE_KEY_MEMBER).read_text(encoding="ascii")
    placed.write(Path(settings.VAULT_INSTANCE_KEY_FILE), key_text)
    _place_secret_key(extracted, placed, notes)
    for name in sorted(extracted.found):
        if name.startswith("files/") and not _file_target(name).exists():
            placed.move(extracted.path(name), _file_target(name))
    # The database last: until it is there, the data directory still counts as empty.
    if engine == "sqlite":
        database = _sqlite_path()
        placed.also_remove(*(Path(f"{database}{s}") for s in ("-wal", "-shm", "-journal")))
        placed.move(extracted.path(SQLITE_MEMBER), database)
    else:
        _run_pg(
            "pg_restore",
            [
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                str(extracted.path(PGDUMP_MEMBER)),
            ],
        )
        placed.database_restored = True


def _verify_database() -> tuple[int | None, int]:
    """Migrations and the audit chain of the restored database: (audit entries, pending)."""
    from django.db.migrations.executor import MigrationExecutor

    from holdspace.audit import services as audit

    connection.close()
    instance.forget()
    try:
        executor = MigrationExecutor(connection)
        applied = set(executor.recorder.applied_migrations())
        unknown = applied - set(executor.loader.graph.nodes)
        if unknown:
            raise BackupError(
                f"The backup was made by a newer Holdspace ({len(unknown)} migrations this "
                "version does not know). Upgrade Holdspace, then restore again."
            )
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        if pending:
            # An older backup: its audit tables may predate this code; check after migrating.
            return None, pending
        count, problems = audit.verify()
    except DatabaseError as error:
        raise BackupError(f"The restored database cannot be read: {error}") from None
    except instance.InstanceKeyError as error:
        raise BackupError(f"The restored audit log cannot be checked: {error}") from None
    if problems:
        raise BackupError(
            f"The restored audit log fails its hash-chain check ({len(problems)} problem(s)): "
            "it was tampered with before the backup was made."
        )
    return count, 0


def restore_backup(
    path: Path, private_key_text: str, progress: Progress | None = None
) -> RestoreResult:
    """Restore the backup at ``path`` into the (empty) data directory and verify it.

    ``progress(done, total)`` is called with bytes of the backup file read.
    Raises BackupError, with nothing left behind in the data directory, if the
    target is not empty, the key is wrong, or the file is not a complete,
    unaltered Holdspace backup. The restored secret key only takes effect in
    processes started afterwards.
    """
    private_key = parse_private_key(private_key_text)
    engine = _engine()
    _require_empty_target(engine)
    try:
        source = path.open("rb")
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    work = _make_work_dir("restore")
    try:
        with source:
            extracted = _extract(
                source, private_key, os.fstat(source.fileno()).st_size, work, progress
            )
        _check_contents(extracted, engine)
        _check_targets(extracted)
        _require_empty_target(engine)
        return _place_and_verify(extracted, engine)
    except OSError as error:
        name = f" ({error.filename})" if error.filename else ""
        raise BackupError(f"The backup could not be restored: {error.strerror}{name}.") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        instance.forget()


def _place_and_verify(extracted: _Extracted, engine: str) -> RestoreResult:
    placed = _Placement()
    notes: list[str] = []
    try:
        _place_all(extracted, engine, placed, notes)
        audit_entries, pending = _verify_database()
    except BackupError as error:
        connection.close()
        placed.undo()
        if placed.database_restored and engine == "postgresql":
            # pg_restore committed; dropping tables again is for the administrator to decide.
            raise BackupError(
                f"{error} The PostgreSQL database now holds the restored tables (the key "
                "files were removed again): empty it before restoring again."
            ) from None
        raise
    except BaseException:
        connection.close()
        placed.undo()
        raise
    if pending:
        notes.append(
            f"{pending} migration(s) of this Holdspace version are not applied yet: run "
            "`holdspace migrate`, then `holdspace audit verify`."
        )
    manifest = extracted.manifest
    return RestoreResult(
        created_at=str(manifest.get("created_at", "unknown")),
        holdspace_version=str(manifest.get("holdspace_version", "unknown")),
        database_engine=engine,
        entries=len(extracted.found),
        audit_entries=audit_entries,
        pending_migrations=pending,
        notes=tuple(notes),
    )


# Progress display -----------------------------------------------------------------
