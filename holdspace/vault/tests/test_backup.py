"""Encrypted backups (S13): encrypted to an offline public key, unreadable by the
server that made them, refused when damaged, and restored in a drill (backup →
wipe → restore → integrity check → canaries readable → access smoke test)."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from holdspace.processes.demo import NOTES
from holdspace.testing import run_holdspace
from holdspace.vault import backup, crypto
from holdspace.vault.backup import common, stream

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the drill runs on SQLite files in a data directory"
)

CANARY = "How we want to work"
TITLES = [title for _day, _kind, _role, _audience, title, _text in NOTES]

# Runs in a fresh process on the restored data directory: opens an account's
# keys with its password and reads its group's notes (canaries), then logs in
# through the forms and opens the process timeline (access smoke test).
READ_BACK = r"""
import base64, json, sys
import django
django.setup()
from django.test import Client
from django_otp.oath import totp
from holdspace.accounts.models import User
from holdspace.processes.models import Membership, Note
from holdspace.vault.accounts import unlock_with_password
from holdspace.vault.keyring import Keyring, using

row = json.loads(sys.stdin.read())
user = User.objects.get(username=row["username"])
private = unlock_with_password(user, row["password"])
with using(Keyring(user.pk, private)):
    notes = Note.objects.filter(author_group__memberships__user=user).distinct()
    titles = sorted(str(note.title) for note in notes)
client = Client()
client.post("/login/", {"username": row["username"], "password": row["password"]})
code = f"{totp(base64.b32decode(row['totp_secret'])):06d}"
logged_in = client.post("/login/code/", {"code": code})
# The demo process that runs (the closed one holds no such note).
member = Membership.objects.filter(user=user, group__process__status="active").first()
process_id = member.group.process_id
page = client.get(f"/p/{process_id}/timeline/?kind=note")
print(json.dumps({
    "titles": titles,
    "login": logged_in.get("Location"),
    "timeline": page.status_code,
    "canary_on_page": row["canary"] in page.content.decode(),
}))
"""


def _env(data: Path) -> dict[str, str]:
    return {"HOLDSPACE_DATA_DIR": str(data), "HOLDSPACE_ENV": "test"}


def _ok(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = run_holdspace(args, env)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result


def _contents(data: Path) -> dict[str, bytes | None]:
    """Every path below ``data`` with its bytes (None for directories)."""
    return {
        path.relative_to(data).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(data.rglob("*"))
    }


def _left_behind(data: Path) -> set[str]:
    """What a restore left in its target, apart from the secret key that every
    Holdspace command creates at start-up when it is missing."""
    return set(_contents(data)) - {"secret_key"} if data.exists() else set()


def _encodings(secret: bytes) -> list[bytes]:
    return [
        secret,
        secret.hex().encode(),
        base64.b64encode(secret),
        base64.b64encode(secret).rstrip(b"="),
        base64.urlsafe_b64encode(secret).rstrip(b"="),
    ]


def _read_back_canaries(env: dict[str, str], credentials: Path) -> None:
    """In a fresh process on the restored data: the demo coordinator's notes
    decrypt with her password, and she can log in and open the timeline."""
    rows = json.loads(credentials.read_text())["accounts"]
    row = next(row for row in rows if row["username"] == "demo-support-coordinator")
    read_back = subprocess.run(
        [sys.executable, "-c", READ_BACK],
        env={
            "PATH": os.environ["PATH"],
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "holdspace.settings",
            **env,
        },
        input=json.dumps({**row, "canary": CANARY}),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert read_back.returncode == 0, read_back.stderr[-3000:]
    seen = json.loads(read_back.stdout.strip().splitlines()[-1])
    assert CANARY in seen["titles"] and "Draft of the letter" in seen["titles"]
    assert seen["login"] == "/dashboard/"
    assert seen["timeline"] == 200 and seen["canary_on_page"]


@dataclass(frozen=True)
class Prepared:
    data: Path
    env: dict[str, str]
    key: Path
    backup: Path
    credentials: Path


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prepared]:
    """A data directory with the demo in it, a backup key pair (the private
    half outside) and one backup of it."""
    if connection.vendor != "sqlite":
        pytest.skip("the drill runs on SQLite files in a data directory")
    root = tmp_path_factory.mktemp("backup")
    data = root / "data"
    env = _env(data)
    _ok(["migrate", "--no-input", "-v", "0"], env)
    _ok(["demo", "--credentials", str(root / "credentials.json")], env)
    _ok(["backup_keygen", "--private-out", str(root / "backup.key")], env)
    _ok(["backup", "--output", str(root / "demo.hsbackup")], env)
    yield Prepared(
        data, env, root / "backup.key", root / "demo.hsbackup", root / "credentials.json"
    )


# Keys and the encrypted stream (in process) -------------------------------------


def test_key_texts_are_recognisable_and_typos_are_reported_S13() -> None:
    public_text, private_text = backup.generate_keypair()
    assert public_text.startswith("hsbk-pub-") and private_text.startswith("hsbk-priv-")
    private = backup.parse_private_key(f"  {private_text}\n")
    assert crypto.public_key_of(private) == backup.parse_public_key(public_text)
    typo = private_text[:-3] + ("A" if private_text[-3] != "A" else "B") + private_text[-2:]
    with pytest.raises(backup.BackupError, match="mistyped or damaged"):
        backup.parse_private_key(typo)
    with pytest.raises(backup.BackupError, match="public key"):
        backup.parse_private_key(public_text)
    with pytest.raises(backup.BackupError, match="private"):
        backup.parse_public_key(private_text)
    with pytest.raises(backup.BackupError, match="not a backup"):
        backup.parse_private_key("correct horse battery staple")


def _encrypt(plaintext: bytes, public: bytes) -> bytes:
    sink = io.BytesIO()
    writer = stream._EncryptingWriter(sink, public)
    for start in range(0, len(plaintext), 10240):  # as tarfile writes: record by record
        writer.write(plaintext[start : start + 10240])
    writer.close()
    return sink.getvalue()


def _decrypt(blob: bytes, private: bytes) -> bytes:
    reader = stream._DecryptingReader(io.BytesIO(blob), private, len(blob), None)
    data = reader.read()
    reader.finish()
    return data


def test_the_stream_refuses_every_kind_of_damage_S13() -> None:
    public, private = crypto.new_keypair()
    plaintext = crypto.random_bytes(3 * common.CHUNK_BYTES + 1234)
    blob = _encrypt(plaintext, public)
    assert _decrypt(blob, private) == plaintext
    assert _decrypt(_encrypt(b"", public), private) == b""
    assert plaintext[:64] not in blob

    first_chunk = 97 + 24
    for position in (0, 8, 10, 40, 100, first_chunk + 1, first_chunk + 10, len(blob) // 2, -1):
        damaged = bytearray(blob)
        damaged[position] ^= 0x01
        with pytest.raises(backup.BackupError):
            _decrypt(bytes(damaged), private)
    for length in (5, first_chunk, first_chunk + 100, len(blob) // 2, len(blob) - 1):
        with pytest.raises(backup.BackupError):
            _decrypt(blob[:length], private)
    # Dropping whole chunks from the end is truncation too: TAG_FINAL is missing.
    cut = first_chunk + 4 + common.CHUNK_BYTES + 17
    with pytest.raises(backup.BackupError, match="ends too early"):
        _decrypt(blob[:cut], private)
    with pytest.raises(backup.BackupError, match="appended"):
        _decrypt(blob + b"\0", private)
    _other_public, other_private = crypto.new_keypair()
    with pytest.raises(backup.BackupError, match="another backup key pair"):
        _decrypt(blob, other_private)


def test_progress_is_shown_in_percent_and_bytes_S13() -> None:
    lines: list[str] = []
    show = backup.ProgressPrinter(lines.append, "backup", terminal=False)
    for done in range(0, 2_000_001, 100_000):
        show(done, 2_000_000)
    assert lines[0] == "backup:   0% (0 bytes of 2.0 MB)\n"
    assert lines[-1] == "backup: 100% (2.0 MB of 2.0 MB)\n"
    assert len(lines) == 11


# The drill and the refusals (the real command, on real files) -------------------


@sqlite_only
def test_restore_drill_backup_wipe_restore_verify_S13(prepared: Prepared, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(prepared.data, data)
    (data / "attachments" / "2025").mkdir(parents=True)
    (data / "attachments" / "2025" / "letter.bin").write_bytes(b"\x00attachment\xff")
    (data / "upload.tmp").write_bytes(b"half written")
    (data / "demo-credentials.json").write_text("{}")
    (data / "backups").mkdir()
    (data / "backups" / "old.hsbackup").write_bytes(b"an older backup")
    env = _env(data)
    file = tmp_path / "drill.hsbackup"

    made = _ok(["backup", "--output", str(file)], env)
    assert made.stdout.strip().splitlines()[-1].endswith(str(file))
    assert "100%" in made.stderr
    assert stat.S_IMODE(file.stat().st_mode) == 0o600

    # Nothing readable in the file: no note title, no key, no database.
    content = file.read_bytes()
    instance_key = base64.b64decode((data / "instance_key").read_text().strip())
    secret_key = (data / "secret_key").read_text().strip().encode()
    for title in TITLES:
        assert title.encode() not in content, title
    for encoded in _encodings(instance_key):
        assert encoded not in content
    assert secret_key not in content
    assert b"SQLite format 3" not in content and b"manifest.json" not in content
    kept = {
        name: (data / name).read_bytes()
        for name in ("instance_key", "secret_key", "backup_public_key")
    }

    # Wipe, restore.
    shutil.rmtree(data)
    restored = _ok(["restore", str(file), "--key", str(prepared.key)], env)
    assert "integrity verified" in restored.stdout
    for name, value in kept.items():
        assert (data / name).read_bytes() == value, name
    for name in ("instance_key", "holdspace.sqlite3"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600
    assert (data / "attachments" / "2025" / "letter.bin").read_bytes() == b"\x00attachment\xff"
    assert not (data / "upload.tmp").exists()
    assert not (data / "demo-credentials.json").exists()
    assert not (data / "backups").exists()
    assert not [path for path in data.iterdir() if path.name.endswith(".tmp")]

    # Canaries readable with the account's password; the account can log in.
    _read_back_canaries(env, prepared.credentials)

    # Access smoke test: the audit chain holds, nothing is left to migrate.
    assert "intact" in _ok(["audit", "verify"], env).stdout
    _ok(["migrate", "--check"], env)


@sqlite_only
def test_the_server_cannot_read_its_own_backups_S13(prepared: Prepared, tmp_path: Path) -> None:
    private_text = prepared.key.read_text().strip()
    private = backup.parse_private_key(private_text)
    server = _contents(prepared.data)
    assert "backup_public_key" in server
    for name, value in server.items():
        if value is None:
            continue
        assert b"hsbk-priv-" not in value, name
        for encoded in _encodings(private):
            assert encoded not in value, name

    # All the server has is the public key: it does not open the backup.
    target = tmp_path / "target"
    public_file = prepared.data / "backup_public_key"
    refused = run_holdspace(
        ["restore", str(prepared.backup), "--key", str(public_file)], _env(target)
    )
    assert refused.returncode != 0 and "public key" in refused.stderr
    assert _left_behind(target) == set()

    # Nor does any other key pair the server might make.
    other = tmp_path / "other.key"
    other.write_text(backup.generate_keypair()[1] + "\n")
    refused = run_holdspace(["restore", str(prepared.backup), "--key", str(other)], _env(target))
    assert refused.returncode != 0
    assert "made for another backup key pair" in refused.stderr
    assert _left_behind(target) == set()


def _flip_a_byte(data: bytes) -> bytes:
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0x01
    return bytes(damaged)


@sqlite_only
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_flip_a_byte, "damaged or was altered"),
        (lambda data: data[:-100], "ends too early"),
        (lambda data: b'{"accounts": []}\n', "not a Holdspace backup"),
    ],
    ids=["flipped-byte", "truncated", "not-a-backup"],
)
def test_a_damaged_backup_is_refused_and_changes_nothing_S13(
    prepared: Prepared, tmp_path: Path, damage: Callable[[bytes], bytes], message: str
) -> None:
    file = tmp_path / "damaged.hsbackup"
    file.write_bytes(damage(prepared.backup.read_bytes()))
    target = tmp_path / "target"
    result = run_holdspace(["restore", str(file), "--key", str(prepared.key)], _env(target))
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert _left_behind(target) == set()


@sqlite_only
def test_restore_into_a_data_directory_with_data_refuses_and_changes_nothing_S13(
    prepared: Prepared,
) -> None:
    before = _contents(prepared.data)
    result = run_holdspace(
        ["restore", str(prepared.backup), "--key", str(prepared.key)], prepared.env
    )
    assert result.returncode != 0
    assert "empty data directory" in result.stderr and "Nothing was changed" in result.stderr
    assert _contents(prepared.data) == before


@sqlite_only
def test_backup_without_a_public_key_says_to_run_backup_keygen_S13(tmp_path: Path) -> None:
    env = _env(tmp_path / "data")
    output = tmp_path / "b.hsbackup"
    result = run_holdspace(["backup", "--output", str(output)], env)
    assert result.returncode != 0
    assert "backup-keygen" in result.stderr
    assert not output.exists() and not Path(f"{output}.tmp").exists()


@sqlite_only
def test_backup_keygen_keeps_only_the_public_key_and_never_overwrites_it_S13(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    env = _env(data)
    public_file = data / "backup_public_key"

    inside = run_holdspace(["backup_keygen", "--private-out", str(data / "backup.key")], env)
    assert inside.returncode != 0 and "inside the data directory" in inside.stderr
    assert not public_file.exists() and not (data / "backup.key").exists()

    made = _ok(["backup_keygen"], env)
    assert "offline" in made.stdout and "not kept on this server" in made.stdout.lower()
    match = re.search(r"hsbk-priv-[A-Za-z0-9_-]+", made.stdout)
    assert match is not None
    public_text = public_file.read_text().strip()
    assert crypto.public_key_of(backup.parse_private_key(match.group())) == (
        backup.parse_public_key(public_text)
    )
    assert stat.S_IMODE(public_file.stat().st_mode) == 0o600
    assert all(
        value is None or match.group().encode() not in value for value in _contents(data).values()
    )

    again = run_holdspace(["backup_keygen"], env)
    assert again.returncode != 0 and "--force" in again.stderr
    assert public_file.read_text().strip() == public_text

    private_file = tmp_path / "new.key"
    forced = _ok(["backup_keygen", "--force", "--private-out", str(private_file)], env)
    assert "hsbk-priv-" not in forced.stdout
    assert stat.S_IMODE(private_file.stat().st_mode) == 0o600
    new_public = public_file.read_text().strip()
    assert new_public != public_text
    assert crypto.public_key_of(backup.parse_private_key(private_file.read_text())) == (
        backup.parse_public_key(new_public)
    )


# PostgreSQL: the same drill with pg_dump and pg_restore ---------------------------


@contextlib.contextmanager
def _scratch_databases(count: int) -> Iterator[list[str]]:
    """Fresh, empty databases on the suite's PostgreSQL server, as DATABASE_URLs."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(os.environ["DATABASE_URL"])
    names = [f"hs_backup_drill_{secrets.token_hex(4)}" for _ in range(count)]
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as admin:
        for name in names:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield [parts._replace(path=f"/{name}").geturl() for name in names]
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            for name in names:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL server")
def test_restore_drill_on_postgresql_S13(tmp_path: Path) -> None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed for PostgreSQL backups")
    with _scratch_databases(2) as (source_url, target_url):
        source = {**_env(tmp_path / "source"), "DATABASE_URL": source_url}
        target = {**_env(tmp_path / "target"), "DATABASE_URL": target_url}
        credentials, key = tmp_path / "credentials.json", tmp_path / "backup.key"
        file = tmp_path / "pg.hsbackup"
        _ok(["migrate", "--no-input", "-v", "0"], source)
        _ok(["demo", "--credentials", str(credentials)], source)
        _ok(["backup_keygen", "--private-out", str(key)], source)
        _ok(["backup", "--output", str(file)], source)
        content = file.read_bytes()
        assert b"PGDMP" not in content and CANARY.encode() not in content

        restored = _ok(["restore", str(file), "--key", str(key)], target)
        assert "integrity verified" in restored.stdout
        _read_back_canaries(target, credentials)
        _ok(["audit", "verify"], target)
        _ok(["migrate", "--check"], target)

        # A database with tables is not empty: refused, whatever the data directory.
        again = run_holdspace(
            ["restore", str(file), "--key", str(key)],
            {**_env(tmp_path / "elsewhere"), "DATABASE_URL": target_url},
        )
        assert again.returncode != 0 and "PostgreSQL database" in again.stderr
        assert _left_behind(tmp_path / "elsewhere") == set()


# A restore killed at any step: finished by a rerun, or refused clearly (S13, S39) -

# Runs `holdspace restore` in a process that kills itself (SIGKILL: no clean-up
# whatever) at the step named by argv[1].
KILLED_AT = r"""
import os, signal, sys
os.umask(0o077)
import django
django.setup()
from django.core.management import call_command
from holdspace.vault.backup import restore, state

step, file, key = sys.argv[1:4]


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def after(function, calls=1, when=lambda *a, **k: True):
    done = [0]
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        if when(*args, **kwargs):
            done[0] += 1
            if done[0] >= calls:
                die()
        return result
    return wrapper


def before(function, when):
    def wrapper(*args, **kwargs):
        if when(*args, **kwargs):
            die()
        return function(*args, **kwargs)
    return wrapper


database = str(restore._sqlite_path())
if step == "unpacking":
    restore._copy_out = after(restore._copy_out, calls=2)
elif step == "checking":
    restore._verify_database = die
elif step == "marked":
    state.write_marker = after(state.write_marker, when=lambda m: m["phase"] == state.SWITCHING)
elif step == "first-move":
    restore._move_into_place = after(restore._move_into_place)
elif step == "keys-without-database":
    restore._move_into_place = before(
        restore._move_into_place, when=lambda source, target, **k: str(target) == database
    )
elif step == "database-in-place":
    state.remove_marker = die
elif step == "clean-up":
    state.remove_marker = after(state.remove_marker)
elif step == "pg-before-restore":
    restore._run_pg = before(restore._run_pg, when=lambda program, args: True)
elif step == "pg-after-restore":
    restore._run_pg = after(restore._run_pg)
call_command("restore", file, key=key)
"""

# Killed before the marker went, the restore is finished by a rerun; killed
# after, it is done (and a rerun refuses: the data directory is not empty).
UNFINISHED = ["unpacking", "checking", "marked", "first-move", "keys-without-database"]
UNFINISHED += ["database-in-place"]
DONE = ["clean-up"]


def _kill_restore_at(step: str, file: Path, key: Path, env: dict[str, str]) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT, step, str(file), str(key)],
        env={
            "PATH": os.environ["PATH"],
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "holdspace.settings",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, (step, killed.stderr[-3000:])


def _refused_clearly(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result.stderr


def _no_leftovers(data: Path) -> None:
    assert not (data / "restore-in-progress").exists()
    assert not [path for path in data.iterdir() if path.name.startswith(".restore-")]


@sqlite_only
@pytest.mark.parametrize("step", UNFINISHED + DONE)
def test_a_restore_killed_at_any_step_is_finished_by_a_rerun_or_done_S39(
    prepared: Prepared, tmp_path: Path, step: str
) -> None:
    data = tmp_path / "data"
    env = _env(data)
    _kill_restore_at(step, prepared.backup, prepared.key, env)

    verified = run_holdspace(["audit", "verify"], env)
    demo = run_holdspace(["prepare"], env)
    assert "Traceback" not in verified.stderr + demo.stderr
    assert "Demo created" not in demo.stdout  # never a fresh demo on restored keys
    rerun = run_holdspace(["restore", str(prepared.backup), "--key", str(prepared.key)], env)
    if step in DONE:
        assert verified.returncode == 0 and "intact" in verified.stdout
        assert demo.returncode == 0, demo.stderr[-2000:]
        assert "empty data directory" in _refused_clearly(rerun)
    else:
        assert "holdspace restore" in _refused_clearly(verified)
        assert "holdspace restore" in _refused_clearly(demo)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert "integrity verified" in rerun.stdout
        assert "intact" in _ok(["audit", "verify"], env).stdout
    _no_leftovers(data)
    assert (data / "instance_key").read_bytes() == (prepared.data / "instance_key").read_bytes()
    assert stat.S_IMODE((data / "holdspace.sqlite3").stat().st_mode) == 0o600
    _ok(["migrate", "--check"], env)


@sqlite_only
def test_an_interrupted_restore_is_read_back_intact_S13(prepared: Prepared, tmp_path: Path) -> None:
    """The keys-without-database state of old: finished by the rerun, the
    canaries open with the account's password and it can log in."""
    env = _env(tmp_path / "data")
    _kill_restore_at("keys-without-database", prepared.backup, prepared.key, env)
    _ok(["restore", str(prepared.backup), "--key", str(prepared.key)], env)
    _read_back_canaries(env, prepared.credentials)


@sqlite_only
def test_keys_left_without_their_database_refuse_a_demo_and_restore_again_S39(
    prepared: Prepared, tmp_path: Path
) -> None:
    """What an older Holdspace left when killed: the keys in place, no database,
    no marker. Nothing crashes, no demo is made on the restored key, and a
    rerun of the restore finishes the job."""
    data = tmp_path / "data"
    env = _env(data)
    _ok(["restore", str(prepared.backup), "--key", str(prepared.key)], env)
    (data / "holdspace.sqlite3").unlink()

    verified = run_holdspace(["audit", "verify"], env)
    assert "restore again" in _refused_clearly(verified)  # an empty file appears
    demo = run_holdspace(["prepare"], env)
    assert "instance key" in _refused_clearly(demo) and "no demo" in demo.stderr
    assert not (data / "demo-credentials.json").exists()
    rerun = _ok(["restore", str(prepared.backup), "--key", str(prepared.key)], env)
    assert "integrity verified" in rerun.stdout
    assert "intact" in _ok(["audit", "verify"], env).stdout


@sqlite_only
def test_a_switch_under_way_is_finished_only_with_its_own_backup_S39(
    prepared: Prepared, tmp_path: Path
) -> None:
    other = tmp_path / "other.hsbackup"
    _ok(["backup", "--output", str(other)], prepared.env)
    data = tmp_path / "data"
    env = _env(data)
    _kill_restore_at("first-move", prepared.backup, prepared.key, env)
    wrong = run_holdspace(["restore", str(other), "--key", str(prepared.key)], env)
    assert "another backup" in _refused_clearly(wrong)
    assert (data / "restore-in-progress").exists()  # still waiting for its own backup
    _ok(["restore", str(prepared.backup), "--key", str(prepared.key)], env)
    _no_leftovers(data)


@sqlite_only
def test_a_second_restore_at_the_same_time_is_refused_S39(
    prepared: Prepared, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; d = os.open(sys.argv[1], os.O_RDONLY);"
            " fcntl.flock(d, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
            str(data),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        busy = run_holdspace(
            ["restore", str(prepared.backup), "--key", str(prepared.key)], _env(data)
        )
        assert "Another restore or `holdspace prepare`" in _refused_clearly(busy)
    finally:
        holder.kill()
        holder.wait()
    assert _left_behind(data) == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL server")
@pytest.mark.parametrize("step", ["pg-before-restore", "pg-after-restore", "first-move"])
def test_a_restore_killed_on_postgresql_is_finished_by_a_rerun_S39(
    tmp_path: Path, step: str
) -> None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed for PostgreSQL backups")
    with _scratch_databases(2) as (source_url, target_url):
        source = {**_env(tmp_path / "source"), "DATABASE_URL": source_url}
        target = {**_env(tmp_path / "target"), "DATABASE_URL": target_url}
        key, file = tmp_path / "backup.key", tmp_path / "pg.hsbackup"
        _ok(["migrate", "--no-input", "-v", "0"], source)
        _ok(["demo", "--credentials", str(tmp_path / "credentials.json")], source)
        _ok(["backup_keygen", "--private-out", str(key)], source)
        _ok(["backup", "--output", str(file)], source)

        _kill_restore_at(step, file, key, target)
        verified = run_holdspace(["audit", "verify"], target)
        assert "holdspace restore" in _refused_clearly(verified)
        demo = run_holdspace(["prepare"], target)
        assert "holdspace restore" in _refused_clearly(demo)
        assert "Demo created" not in demo.stdout
        rerun = _ok(["restore", str(file), "--key", str(key)], target)
        assert "integrity verified" in rerun.stdout
        assert "intact" in _ok(["audit", "verify"], target).stdout
        _no_leftovers(tmp_path / "target")
        _read_back_canaries(target, tmp_path / "credentials.json")


# Where a backup stages its files, and what crashed ones left (S53) ---------------


@sqlite_only
@pytest.mark.django_db
def test_a_backup_elsewhere_stages_there_and_clears_what_crashes_left_S53(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`backup --output DIR` on another disk needs no space on the data
    directory's: the database snapshot is staged next to the output. Work
    files of crashed backups go; those of a backup still running stay."""
    from django.conf import settings
    from django.test import override_settings

    from holdspace.lib import locks
    from holdspace.vault.backup import create

    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    data = Path(settings.DATA_DIR)
    crashed = [elsewhere / ".backup-0badc0ffee00.tmp", data / ".backup-0badc0ffee01.tmp"]
    for work in crashed:
        work.mkdir()
        (work / "holdspace.sqlite3").write_bytes(b"a snapshot as big as the database")
    half_written = elsewhere / f"holdspace-20250101T000000Z{backup.SUFFIX}.tmp"
    half_written.write_bytes(b"half")
    running = elsewhere / ".backup-0badc0ffee02.tmp"
    running.mkdir()
    staged_in: list[Path] = []
    snapshot = create._snapshot_database

    def watched(engine: str, work: Path) -> tuple[str, Path]:
        staged_in.append(work.parent)
        return snapshot(engine, work)

    monkeypatch.setattr(create, "_snapshot_database", watched)
    public_text, _private_text = backup.generate_keypair()
    (tmp_path / "public").write_text(public_text)
    held = os.open(running, os.O_RDONLY)
    try:
        assert locks.try_lock(held)
        with override_settings(BACKUP_PUBLIC_KEY_FILE=tmp_path / "public"):
            written = backup.create_backup(backup.output_path(elsewhere))
    finally:
        os.close(held)
    assert written.parent == elsewhere and written.name.endswith(backup.SUFFIX)
    assert staged_in == [elsewhere]
    assert not any(path.exists() for path in [*crashed, half_written])
    assert running.exists()
    assert {path.name for path in elsewhere.iterdir()} == {written.name, running.name}
