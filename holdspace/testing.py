"""Helpers for tests in every app (imported by tests and conftest only)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from holdspace.accounts.auth import AUTH_AT, REAUTH_AT, SEEN_AT
from holdspace.accounts.models import User

PASSWORD = "correct horse battery staple"


def make_user(username: str = "alice", *, two_factor: bool = True, **extra: Any) -> User:
    user = User.objects.create_user(username, PASSWORD, **extra)
    if two_factor:
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def code_for(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, user: User) -> None:
    """A fully signed-in session (password and second factor), without the forms."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = time.time()
    session[AUTH_AT] = session[SEEN_AT] = session[REAUTH_AT] = now
    session.save()


def log_in_through_forms(client: Client, user: User, password: str = PASSWORD) -> None:
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content
    response = client.post("/login/code/", {"code": code_for(user)})
    assert response.status_code == 302, response.content


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
_NONCE = re.compile(rb'nonce="[^"]+"')


def normalised(content: bytes) -> bytes:
    """Page bytes without the parts that differ on every response."""
    return _NONCE.sub(b'nonce=""', _CSRF.sub(b'name="csrfmiddlewaretoken" value=""', content))


SAMPLE_VALUES = {
    "uuid": "00000000-0000-4000-8000-000000000000",
    "str": "sample-token",
    "int": "1",
    "slug": "sample",
    "path": "sample",
}
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes() -> list[tuple[str, str]]:
    """Every routed view of the project as (url name, example path).

    Path arguments get harmless sample values (a UUID no object has, …).
    """
    from holdspace.web.checks import walk_patterns

    result = []
    for route, pattern in walk_patterns():
        path = _CONVERTER.sub(lambda m: SAMPLE_VALUES[m.group(1) or "str"], route)
        result.append((pattern.name or pattern.lookup_str, "/" + path))
    return result


def database_snapshot() -> dict[str, list[str]]:
    """All rows of all tables except sessions and lockout counters, for
    asserting that a request changed nothing."""
    from django.db import connection

    skip = {"accounts_session", "django_session"}
    snapshot = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in skip or table.startswith("axes_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            snapshot[table] = sorted(repr(row) for row in cursor.fetchall())
    return snapshot


def run_holdspace(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `holdspace` command in a fresh process with only ``env`` set
    (plus PATH), as an administrator would from a shell. Without a
    DATABASE_URL in ``env`` it uses SQLite in the given data directory, never
    the database the suite runs on."""
    base = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "holdspace.cli", *args],
        env={**base, **env},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def production_env(data_dir: Path, **overrides: str) -> dict[str, str]:
    """Environment variables for a minimal production configuration."""
    secret_file = data_dir / "secret.txt"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
    return {
        "HOLDSPACE_ENV": "production",
        "HOLDSPACE_SECRET_KEY_FILE": str(secret_file),
        "HOLDSPACE_ALLOWED_HOSTS": "holdspace.example.org",
        "HOLDSPACE_DATA_DIR": str(data_dir),
        **overrides,
    }


# A world of two processes, for access tests ---------------------------------


@dataclass
class World:
    """Two processes with a group of every kind; in the first, a coordinator and a
    member per group (the personas), parties linked to accounts, a note per
    group, a note shared with every group, an open invitation per group."""

    process: Any
    other_process: Any
    groups: dict[str, Any]
    other_groups: dict[str, Any]
    personas: dict[str, User]
    memberships: dict[str, Any]
    notes: dict[str, Any]
    other_notes: dict[str, Any]
    shared_note: Any
    invitations: dict[str, Any]
    other_invitations: dict[str, Any]


GROUP_KINDS = ("support", "contact", "support_team", "supervision", "community", "custom")


def _process_with_groups(name: str, prefix: str) -> tuple[Any, dict[str, Any]]:
    from holdspace.processes.models import Group, Party, Process

    process = Process.objects.create(name=name)
    Party.objects.create(process=process, role=Party.Role.HARMED, pseudonym="A.")
    Party.objects.create(process=process, role=Party.Role.HARMING, pseudonym="X")
    groups = {
        kind: Group.objects.create(process=process, kind=kind, name=f"{prefix} {kind} group")
        for kind in GROUP_KINDS
    }
    return process, groups


def _note(group: Any, author: User, title: str) -> Any:
    from holdspace.processes.models import Note, Record, RecordAudience

    note = Note.objects.create(
        kind=Record.Kind.NOTE,
        process=group.process,
        author=author,
        author_group=group,
        title=title,
        body=f"The body of {title}.",
    )
    RecordAudience.objects.create(record=note, group=group)
    return note


def build_world() -> World:
    from holdspace.processes.models import GroupInvitation, Membership, Party, RecordAudience

    process, groups = _process_with_groups("Process Willow", "Willow")
    other_process, other_groups = _process_with_groups("Process Birch", "Birch")
    personas: dict[str, User] = {}
    memberships: dict[str, Any] = {}
    for kind, group in groups.items():
        for role in ("coordinator", "member"):
            name = f"{kind}-{role}"
            user = make_user(name.replace("_", "-"))
            personas[name] = user
            memberships[name] = Membership.objects.create(group=group, user=user, role=role)
    for kind, group in other_groups.items():
        Membership.objects.create(
            group=group, user=make_user(f"birch-{kind.replace('_', '-')}"), role="coordinator"
        )
    personas["survivor"] = make_user("survivor")
    personas["portal"] = make_user("portal")
    Party.objects.filter(process=process, role=Party.Role.HARMED).update(
        account=personas["survivor"]
    )
    Party.objects.filter(process=process, role=Party.Role.HARMING).update(
        account=personas["portal"]
    )
    personas["admin"] = make_user("admin", is_instance_admin=True)
    personas["outsider"] = make_user("outsider")
    notes = {
        kind: _note(g, personas[f"{kind}-member"], f"{kind} note") for kind, g in groups.items()
    }
    birch = {kind: g.memberships.get().user for kind, g in other_groups.items()}
    other_notes = {
        kind: _note(g, birch[kind], f"birch {kind} note") for kind, g in other_groups.items()
    }
    shared = _note(groups["support"], personas["support-member"], "shared note")
    for kind in GROUP_KINDS[1:]:
        RecordAudience.objects.create(record=shared, group=groups[kind])
    invitations = {
        kind: GroupInvitation.issue(g, created_by=personas[f"{kind}-coordinator"], role="member")[0]
        for kind, g in groups.items()
    }
    other_invitations = {
        kind: GroupInvitation.issue(g, created_by=birch[kind], role="member")[0]
        for kind, g in other_groups.items()
    }
    return World(
        process=process,
        other_process=other_process,
        groups=groups,
        other_groups=other_groups,
        personas=personas,
        memberships=memberships,
        notes=notes,
        other_notes=other_notes,
        shared_note=shared,
        invitations=invitations,
        other_invitations=other_invitations,
    )


def bulk_notes(group: Any, author: User, count: int, *, title: str = "Bulk note") -> list[Any]:
    """Many notes at once, visible to ``group`` (Django cannot bulk-create
    rows of a model with a parent table, so the note rows go in by hand)."""
    import datetime

    from django.db import connection

    from holdspace.processes.models import Note, Record, RecordAudience

    start = datetime.date(2024, 1, 1)
    records = Record.objects.bulk_create(
        Record(
            kind=Record.Kind.NOTE,
            process_id=group.process_id,
            author=author,
            author_group=group,
            occurred_on=start + datetime.timedelta(days=i % 700),
        )
        for i in range(count)
    )
    table = connection.ops.quote_name(Note._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (record_ptr_id, title, body) VALUES (%s, %s, %s)",  # noqa: S608
            [
                (
                    record.pk.hex if connection.vendor == "sqlite" else record.pk,
                    f"{title} {i}",
                    "Body.",
                )
                for i, record in enumerate(records)
            ],
        )
    RecordAudience.objects.bulk_create(RecordAudience(record=r, group=group) for r in records)
    return records
