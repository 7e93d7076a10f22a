"""Restoring a backup as one step that can be rerun.

1. Staging: decrypt and unpack into ``DATA_DIR/.restore-<random>.tmp``, check
   the stream, the archive, the manifest and (on SQLite) the database itself:
   integrity, migrations and the audit chain, with the backup's own instance
   key. Nothing is in place yet; the marker ``restore-in-progress`` (phase
   ``staging``) says a restore is under way. A failure removes both.
2. Switching: the marker lists the moves (phase ``switching``); on PostgreSQL
   pg_restore runs first, in one transaction, and the restored database is
   checked. Then every file is renamed into place, the database last on
   SQLite, and the marker is removed.

Killed anywhere, a rerun with the same backup finishes the switch, or throws
the staging away and starts again; until then every other command refuses
to run (system check holdspace.E030). See holdspace.vault.backup.state.
"""

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
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

from django.conf import settings
from django.db import DatabaseError, connection, connections

from holdspace.lib import env, locks
from holdspace.vault import crypto, instance
from holdspace.vault.backup import state
from holdspace.vault.backup.common import (
    _AD_BYTES,
    _COPY_BYTES,
    _DAMAGED,
    _FIXED_MEMBERS,
    _MANIFEST_MAX_BYTES,
    _STREAM_HEADER_BYTES,
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
    sqlite_is_empty,
)
from holdspace.vault.backup.create import _run_pg
from holdspace.vault.backup.keys import parse_private_key
from holdspace.vault.backup.stream import _DecryptingReader

_BUSY = (
    "Another restore or `holdspace prepare` is working in this data directory. Wait until "
    "it has finished, then run the restore again."
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


# The target: empty, or holding only what an interrupted restore of this backup put there.


def _sqlite_holds_data() -> list[str]:
    # A file without tables is no database: opening a missing one (`audit verify`) makes it.
    name = _sqlite_path()
    return [] if sqlite_is_empty(name) else [str(name)]


def _postgresql_tables() -> list[str]:
    connection.close()
    try:
        return list(connection.introspection.table_names())
    except DatabaseError as error:
        raise BackupError(f"Cannot connect to the PostgreSQL database: {error}") from None


def _require_empty_database(engine: str) -> None:
    if engine == "sqlite":
        found = _sqlite_holds_data()
    else:
        tables = _postgresql_tables()
        found = [f"the PostgreSQL database ({len(tables)} tables)"] if tables else []
    key = Path(settings.VAULT_INSTANCE_KEY_FILE)
    if found and key.exists():
        found.append(str(key))
    if found:
        raise BackupError(
            "A backup is only restored into an empty data directory, and this one already "
            f"holds Holdspace data: {', '.join(found)}. Nothing was changed. Point "
            "HOLDSPACE_DATA_DIR at a new, empty directory (and, on PostgreSQL, use an "
            "empty database), then restore again."
        )


def _check_instance_key_target(extracted: _Extracted) -> None:
    """An instance key already in place is refused, unless it is this backup's
    (left by a restore an older Holdspace did not finish)."""
    target = Path(settings.VAULT_INSTANCE_KEY_FILE)
    if target.exists() and target.read_bytes() != extracted.path(INSTANCE_KEY_MEMBER).read_bytes():
        raise BackupError(
            "A backup is only restored into an empty data directory, and this one already "
            f"holds another instance key: {target}. Nothing was changed. Point "
            "HOLDSPACE_DATA_DIR at a new, empty directory, then restore again."
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


# Verifying a database: the staged SQLite file, or the restored PostgreSQL tables.


@contextlib.contextmanager
def _database_at(path: Path) -> Iterator[None]:
    """The default connection opens the SQLite file ``path`` for the block."""
    original = connections["default"]
    original.close()
    staged = type(original)({**original.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = staged
    try:
        yield
    finally:
        staged.close()
        connections["default"] = original


@contextlib.contextmanager
def _instance_key_at(path: Path) -> Iterator[None]:
    """The instance key is read from ``path`` for the block (the backup's own,
    before it is in place)."""
    previous = settings.VAULT_INSTANCE_KEY_FILE
    settings.VAULT_INSTANCE_KEY_FILE = path
    instance.forget()
    try:
        yield
    finally:
        settings.VAULT_INSTANCE_KEY_FILE = previous
        instance.forget()


def _verify_staged_sqlite(extracted: _Extracted) -> tuple[int | None, int]:
    database = extracted.path(SQLITE_MEMBER)
    with _database_at(database), _instance_key_at(extracted.path(INSTANCE_KEY_MEMBER)):
        result = _verify_database()
    # Fold anything the check wrote into the file itself, so that one rename places it.
    with contextlib.closing(sqlite3.connect(database)) as staged:
        staged.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if Path(f"{database}-wal").exists():
        Path(f"{database}-wal").unlink()
    Path(f"{database}-shm").unlink(missing_ok=True)
    return result


def _pending_note(pending: int) -> list[str]:
    if not pending:
        return []
    return [
        f"{pending} migration(s) of this Holdspace version are not applied yet: run "
        "`holdspace migrate`, then `holdspace audit verify`."
    ]


# Staging ---------------------------------------------------------------------------


def _move(work: Path, source: Path, target: Path, *, replace: bool = False) -> dict[str, Any]:
    return {
        "source": source.relative_to(work).as_posix(),
        "target": str(target),
        "replace": replace,
    }


def _secret_key_move(extracted: _Extracted, work: Path, notes: list[str]) -> list[dict[str, Any]]:
    staged = extracted.path(SECRET_KEY_MEMBER)
    if staged.read_text(encoding="utf-8").strip() == settings.SECRET_KEY:
        return []
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
        return []
    # Replaces the one every command generates at start-up when there is none.
    return [_move(work, staged, _data_dir() / "secret_key", replace=True)]


def _plan(extracted: _Extracted, engine: str, work: Path, notes: list[str]) -> list[dict[str, Any]]:
    """The renames that put the backup in place, in order: files, keys, and the
    SQLite database last (until it is there, the data directory counts as empty)."""
    moves = [
        _move(work, extracted.path(name), _file_target(name))
        for name in sorted(extracted.found)
        if name.startswith("files/") and not _file_target(name).exists()
    ]
    moves += _secret_key_move(extracted, work, notes)
    key = Path(settings.VAULT_INSTANCE_KEY_FILE)
    if not key.exists():
        moves.append(_move(work, extracted.path(INSTANCE_KEY_MEMBER), key))
    if engine == "sqlite":
        moves.append(_move(work, extracted.path(SQLITE_MEMBER), _sqlite_path()))
    return moves


def _stage(
    source: IO[bytes],
    private_key: bytes,
    engine: str,
    progress: Progress | None,
    work: Path,
    marker: dict[str, Any],
) -> dict[str, Any]:
    """Everything up to the switch; returns the marker of the switch."""
    size = os.fstat(source.fileno()).st_size
    extracted = _extract(source, private_key, size, work, progress)
    _check_contents(extracted, engine)
    _check_targets(extracted)
    _check_instance_key_target(extracted)
    audit_entries, pending = None, 0
    if engine == "sqlite":
        audit_entries, pending = _verify_staged_sqlite(extracted)
    notes: list[str] = []
    moves = _plan(extracted, engine, work, notes)
    _require_empty_database(engine)
    manifest = extracted.manifest
    result = RestoreResult(
        created_at=str(manifest.get("created_at", "unknown")),
        holdspace_version=str(manifest.get("holdspace_version", "unknown")),
        database_engine=engine,
        entries=len(extracted.found),
        audit_entries=audit_entries,
        pending_migrations=pending,
        notes=tuple(notes + _pending_note(pending)),
    )
    return {**marker, "phase": state.SWITCHING, "moves": moves, "result": asdict(result)}


# Switching -------------------------------------------------------------------------


def _copy_beside(source: Path, target: Path) -> None:
    """``source`` to ``target`` on another file system: a private copy next to
    the target, synced, then renamed (never over an existing file)."""
    partial = target.with_name(f".{target.name}.restore.tmp")
    partial.unlink(missing_ok=True)
    with source.open("rb") as handle:
        _copy_out(handle, partial)
    descriptor = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if target.exists():
        partial.unlink()
        raise FileExistsError(errno.EEXIST, "exists", str(target))
    os.rename(partial, target)


def _clear_empty_sqlite(target: Path) -> None:
    """A database without tables (and its side files), as merely opening a
    missing database leaves it, is no data; the restored one takes its place.
    Side files without their database go too: SQLite would apply a stray -wal
    to the restored file."""
    if not target.exists() or sqlite_is_empty(target):
        for path in (target, *(Path(f"{target}{s}") for s in ("-wal", "-shm", "-journal"))):
            path.unlink(missing_ok=True)


def _move_into_place(source: Path, target: Path, *, replace: bool) -> None:
    """Rename ``source`` to ``target``; done already if ``source`` is gone and
    ``target`` is there (a rerun). Never overwrites unless ``replace``."""
    if not source.exists():
        if target.exists():
            return
        raise BackupError(
            f"The staged copy of {target} is missing; the restore cannot be finished. "
            "Point HOLDSPACE_DATA_DIR at a new, empty directory and restore again."
        )
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if target == _sqlite_path():
        _clear_empty_sqlite(target)
    try:
        if replace:
            os.replace(source, target)
            return
        # A hard link fails if the target exists: no check-then-write race.
        os.link(source, target)
    except FileExistsError:
        if not os.path.samefile(source, target):  # else: linked before the kill
            raise BackupError(
                f"{target} appeared while the restore ran; restore never overwrites. Move it "
                "away and run the restore again to finish."
            ) from None
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP):
            raise
        if replace:
            target.unlink(missing_ok=True)
        _copy_beside(source, target)
    source.unlink()


def _give_up(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    state.remove_marker()


def _restore_postgresql(work: Path, marker: dict[str, Any]) -> None:
    """pg_restore in one transaction (unless a run before the kill committed it),
    then the restored tables are checked with the backup's instance key."""
    if marker.get("database_checked"):
        return
    payload = work / "payload"
    if not _postgresql_tables():
        try:
            _run_pg(
                "pg_restore",
                [
                    "--no-owner",
                    "--no-acl",
                    "--single-transaction",
                    "--exit-on-error",
                    str(payload.joinpath(*PurePosixPath(PGDUMP_MEMBER).parts)),
                ],
            )
        except BackupError as error:
            _give_up(work)  # one transaction: the database is as it was
            raise BackupError(f"{error} Nothing was restored.") from None
    try:
        with _instance_key_at(payload.joinpath(*PurePosixPath(INSTANCE_KEY_MEMBER).parts)):
            audit_entries, pending = _verify_database()
    except BackupError as error:
        connection.close()
        _give_up(work)
        # Dropping tables again is for the administrator to decide.
        raise BackupError(
            f"{error} The PostgreSQL database now holds the restored tables, but the key "
            "files were not put in place: empty the database before restoring again."
        ) from None
    result = marker["result"]
    result["audit_entries"], result["pending_migrations"] = audit_entries, pending
    result["notes"] = [*result["notes"], *_pending_note(pending)]
    marker["database_checked"] = True
    state.write_marker(marker)


def _switch(marker: dict[str, Any], engine: str) -> RestoreResult:
    work = _data_dir() / str(marker.get("work", ""))
    if not (marker.get("work") and work.is_dir()):
        raise BackupError(
            "The interrupted restore's staging area is gone; it cannot be finished. Point "
            "HOLDSPACE_DATA_DIR at a new, empty directory and restore again."
        )
    if engine == "postgresql":
        _restore_postgresql(work, marker)
    for move in marker["moves"]:
        _move_into_place(work / move["source"], Path(move["target"]), replace=move["replace"])
    for directory in sorted({Path(move["target"]).parent for move in marker["moves"]}):
        state.fsync_directory(directory)
    state.remove_marker()
    shutil.rmtree(work, ignore_errors=True)
    result = dict(marker["result"])
    return RestoreResult(**{**result, "notes": tuple(result["notes"])})


def _resume(marker: dict[str, Any], backup_id: str, engine: str) -> RestoreResult:
    if marker.get("backup") != backup_id:
        made = marker.get("result", {}).get("created_at", "at another time")
        raise BackupError(
            f"A restore of another backup (made {made}) was interrupted in this data "
            "directory while its files were being put in place. Run `holdspace restore` with "
            "that backup to finish it. Nothing was changed."
        )
    if marker.get("engine") != engine:
        raise BackupError(
            f"The interrupted restore was for {marker.get('engine')}, but Holdspace is now "
            f"configured for {engine}. Configure it as before and run the restore again."
        )
    result = _switch(marker, engine)
    notes = ("An interrupted restore of this backup was finished.", *result.notes)
    return RestoreResult(**{**asdict(result), "notes": notes})


def _backup_id(source: IO[bytes]) -> str:
    """Names a backup file: its header is random for every backup made."""
    head = source.read(_AD_BYTES + _STREAM_HEADER_BYTES)
    source.seek(0)
    return hashlib.sha256(head).hexdigest()[:32]


def _restore(
    source: IO[bytes], private_key: bytes, engine: str, progress: Progress | None
) -> RestoreResult:
    backup_id = _backup_id(source)
    marker = state.read_marker()
    if marker is not None and marker.get("phase") == state.SWITCHING:
        return _resume(marker, backup_id, engine)
    state.discard_restore_leftovers()  # the lock is ours: no restore is running
    state.remove_stale(_data_dir())
    _require_empty_database(engine)
    work = state.make_work_dir(_data_dir(), "restore")
    marker = {"phase": state.STAGING, "work": work.name, "backup": backup_id, "engine": engine}
    try:
        state.write_marker(marker)
        marker = _stage(source, private_key, engine, progress, work, marker)
        state.write_marker(marker)
    except OSError as error:
        _give_up(work)
        name = f" ({error.filename})" if error.filename else ""
        raise BackupError(
            f"The backup could not be restored: {error.strerror}{name}. Nothing was restored."
        ) from None
    except BaseException:
        _give_up(work)
        raise
    return _switch(marker, engine)


def restore_backup(
    path: Path, private_key_text: str, progress: Progress | None = None
) -> RestoreResult:
    """Restore the backup at ``path`` into the (empty) data directory, verified.

    ``progress(done, total)`` is called with bytes of the backup file read.
    Raises BackupError, with nothing left behind in the data directory, if the
    target is not empty, the key is wrong, or the file is not a complete,
    unaltered Holdspace backup. Killed or stopped while the files are put in
    place, a rerun with the same file finishes. The restored secret key only
    takes effect in processes started afterwards.
    """
    private_key = parse_private_key(private_key_text)
    engine = _engine()
    try:
        source = path.open("rb")
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    try:
        with source, locks.maintenance(timeout=0):
            return _restore(source, private_key, engine, progress)
    except locks.LockTimeout:
        raise BackupError(_BUSY) from None
    except OSError as error:
        name = f" ({error.filename})" if error.filename else ""
        raise BackupError(
            f"The restore stopped while putting files in place: {error.strerror}{name}. "
            "Remedy that, then run the same restore again to finish it."
        ) from None
    finally:
        connection.close()
        instance.forget()
