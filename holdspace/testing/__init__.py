"""Helpers for tests in every app (imported by tests and conftest only)."""

from __future__ import annotations

import datetime
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.util import random_hex

from holdspace.accounts.auth import AUTH_AT, ENROL_KEY, PENDING, REAUTH_AT, SEEN_AT
from holdspace.accounts.models import AuthenticatorDevice, User
from holdspace.accounts.services import create_account
from holdspace.vault import accounts as vault_accounts
from holdspace.vault import session as vault_session
from holdspace.vault.keyring import Keyring, using

PASSWORD = "correct horse battery staple"

# Private keys of the accounts tests made, so that signing in needs no KDF.
PRIVATE_KEYS: dict[Any, bytes] = {}
RECOVERY_KEYS: dict[Any, str] = {}


def make_user(
    username: str = "alice", *, two_factor: bool = True, recovery: bool = True, **extra: Any
) -> User:
    """An account with its keys; with ``recovery``, its recovery key is set
    (as after the first log-in) and kept in RECOVERY_KEYS."""
    user, private = create_account(username, PASSWORD, **extra)
    PRIVATE_KEYS[user.pk] = private
    if two_factor:
        AuthenticatorDevice.with_key(user, random_hex(20), confirmed=True).save()
    if recovery:
        RECOVERY_KEYS[user.pk] = vault_accounts.new_recovery_key()
        vault_accounts.save_recovery_key(user, private, RECOVERY_KEYS[user.pk])
    return user


def keyring_of(user: User) -> Keyring:
    """The keyring ``user`` has in a request."""
    return Keyring(user.pk, PRIVATE_KEYS[user.pk])


def code_for(user: User) -> str:
    device = AuthenticatorDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolment_key(client: Client) -> str:
    """The seed (hex) of the authenticator app being set up in ``client``: it
    waits in the session, encrypted under the browser's key cookie."""
    from django.test import RequestFactory

    session = client.session
    pending = session.get(PENDING)
    user_id = pending["user"] if isinstance(pending, dict) else session["_auth_user_id"]
    request = RequestFactory().get("/")
    request.session = session
    request.COOKIES[vault_session.COOKIE] = client.cookies[vault_session.COOKIE].value
    key = vault_session.load_extra(request, user_id, ENROL_KEY)
    assert key is not None, "no authenticator is being set up in this browser"
    return key


def enrolment_code(client: Client) -> str:
    """What the authenticator app being set up in ``client`` shows now."""
    return f"{totp(bytes.fromhex(enrolment_key(client))):06d}"


def sign_in(client: Client, user: User) -> None:
    """A fully signed-in session (password and second factor), without the forms."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    device = AuthenticatorDevice.objects.get(user=user, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = time.time()
    session[AUTH_AT] = session[SEEN_AT] = session[REAUTH_AT] = now
    session_value, cookie_value = vault_session.seal(user.pk, PRIVATE_KEYS[user.pk])
    session[vault_session.SESSION_KEY] = session_value
    session.save()
    client.cookies[vault_session.COOKIE] = cookie_value


def client_for(world: World, persona: str) -> Client:
    """A browser signed in as one of the world's personas ("anonymous": not)."""
    client = Client()
    if persona != "anonymous":
        sign_in(client, world.personas[persona])
    return client


def log_in_through_forms(client: Client, user: User, password: str = PASSWORD) -> None:
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content
    response = client.post("/login/code/", {"code": code_for(user)})
    assert response.status_code == 302, response.content


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
_NONCE = re.compile(rb'nonce="[^"]+"')


_SESSION_LEFT = re.compile(rb'data-hs-session-left="\d+"')


def normalised(content: bytes) -> bytes:
    """Page bytes without the parts that differ on every response (tokens,
    nonces, the seconds the session has left)."""
    content = _SESSION_LEFT.sub(b'data-hs-session-left=""', content)
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


def assert_refused(client: Client, url: str, data: dict[str, Any], *shown: str) -> Any:
    """POST ``data`` to ``url``: the answer shows each of ``shown`` (the
    message, and what was typed), and nothing in the database changed."""
    before = database_snapshot()
    response = client.post(url, data)
    for text in shown:
        assert text.encode() in response.content, text
    assert database_snapshot() == before
    return response


def stored_bytes() -> bytes:
    """Everything the SQLite test database holds on disk (with -wal and -shm),
    plus the sessions, for searching canaries."""
    from django.db import connection

    from holdspace.accounts.models import Session

    name = Path(connection.settings_dict["NAME"])
    files = (name, Path(f"{name}-wal"), Path(f"{name}-shm"))
    sessions = "".join(Session.objects.values_list("session_data", flat=True)).encode()
    return b"".join(path.read_bytes() for path in files if path.exists()) + sessions


def migrate_app_to(app: str, name: str | None = None) -> None:
    """Migrate one app of the test database to ``name``, or to its newest
    migration (what every later test expects) when ``name`` is None."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if name is None:
        (leaf,) = executor.loader.graph.leaf_nodes(app)
        name = leaf[1]
    executor.migrate([(app, name)])


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


def run_django_script(script: str, env: dict[str, str], *args: str) -> str:
    """Run ``script`` (Python that sets Django up itself) in a fresh process
    with only ``env`` set, and return the last line it printed."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, *args],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "holdspace.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return result.stdout.strip().splitlines()[-1]


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
    keyring: Keyring


GROUP_KINDS = ("support", "contact", "support_team", "supervision", "community", "custom")

# The keyring that built each test process: it holds every group's key.
BUILDERS: dict[Any, Keyring] = {}


def _process_with_groups(
    name: str, prefix: str, founder: User
) -> tuple[Any, dict[str, Any], Keyring]:
    """A process with a group of every kind, all set up by ``founder``, who
    then stays only in the support group."""
    from holdspace.processes import services
    from holdspace.processes.models import Membership
    from holdspace.vault.models import Grant

    keyring = keyring_of(founder)
    with using(keyring):
        process = services.create_process(
            founder,
            services.NewProcess(
                name=name,
                started_on=datetime.date(2025, 1, 1),
                harmed_term="survivor",
                harming_term="person_who_caused_harm",
                harmed_pseudonym="A.",
                harming_pseudonym="X",
                group_kind="support",
                group_name=f"{prefix} support group",
                commitment_until=None,
            ),
        )
        groups = {"support": process.groups.get()}
        for kind in GROUP_KINDS[1:]:
            groups[kind] = services.add_group(
                process, by=founder, kind=kind, name=f"{prefix} {kind} group", purpose=""
            )
        others = [groups[kind] for kind in GROUP_KINDS[1:]]
        Membership.objects.filter(group__in=others, user=founder).delete()
        Grant.objects.filter(compartment__group__in=others, user=founder).delete()
    BUILDERS[process.pk] = keyring
    return process, groups, keyring


def add_member(keyring: Keyring, group: Any, user: User, role: str = "member") -> Any:
    """Put ``user`` into ``group`` with its key, as if they had joined."""
    from holdspace.processes.models import Membership
    from holdspace.vault import compartments

    with using(keyring):
        membership = Membership.objects.create(group=group, user=user, role=role)
        compartments.grant(keyring, group.compartment, user)
    return membership


def write_note(keyring: Keyring, group: Any, author: User, title: str, body: str = "") -> Any:
    from holdspace.processes import services

    with using(keyring):
        return services.write_note(
            author=author,
            group=group,
            occurred_on=group.process.started_on,
            title=title,
            body=body or f"The body of {title}.",
        )


def build_world() -> World:
    from holdspace.processes import services
    from holdspace.processes.models import Membership, Party
    from holdspace.processes.services import parties

    personas: dict[str, User] = {}
    for kind in GROUP_KINDS:
        for role in ("coordinator", "member"):
            personas[f"{kind}-{role}"] = make_user(f"{kind}-{role}".replace("_", "-"))
    birch = {kind: make_user(f"birch-{kind.replace('_', '-')}") for kind in GROUP_KINDS}
    process, groups, keyring = _process_with_groups(
        "Process Willow", "Willow", personas["support-coordinator"]
    )
    other_process, other_groups, other_keyring = _process_with_groups(
        "Process Birch", "Birch", birch["support"]
    )
    memberships: dict[str, Any] = {
        "support-coordinator": Membership.objects.get(
            group=groups["support"], user=personas["support-coordinator"]
        )
    }
    for kind, group in groups.items():
        for role in ("coordinator", "member"):
            name = f"{kind}-{role}"
            if name not in memberships:
                memberships[name] = add_member(keyring, group, personas[name], role)
    for kind, group in list(other_groups.items())[1:]:
        add_member(other_keyring, group, birch[kind], "coordinator")
    personas["survivor"] = make_user("survivor")
    personas["portal"] = make_user("portal")
    with using(keyring):
        for role, persona in ((Party.Role.HARMED, "survivor"), (Party.Role.HARMING, "portal")):
            parties.link_account(process.parties.get(role=role), personas[persona])
    personas["admin"] = make_user("admin", is_instance_admin=True)
    personas["outsider"] = make_user("outsider")
    notes = {
        kind: write_note(keyring, g, personas[f"{kind}-member"], f"{kind} note")
        for kind, g in groups.items()
    }
    other_notes = {
        kind: write_note(other_keyring, g, birch[kind], f"birch {kind} note")
        for kind, g in other_groups.items()
    }
    shared = write_note(keyring, groups["support"], personas["support-member"], "shared note")
    with using(keyring):
        services.set_audience(shared, groups.values())
        address_to_parties([shared], by=personas["support-member"])
        invitations = {
            kind: services.invite(g, by=personas[f"{kind}-coordinator"], role="member", note="")[0]
            for kind, g in groups.items()
        }
    with using(other_keyring):
        other_invitations = {
            kind: services.invite(g, by=birch[kind], role="member", note="")[0]
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
        keyring=keyring,
    )


def address_to_parties(records: list[Any], *, by: User) -> None:
    """Address ``records`` to both parties too (keeping their groups), as a
    member ticking "the person who caused harm" and "the survivor" would: the
    party accounts must still reach none of the internal pages (S44)."""
    from holdspace.processes import services

    for record in records:
        services.change_audience(
            record,
            by=by,
            groups=record.audience_groups.all(),
            to_harming_party=True,
            to_harmed_party=True,
        )


def bulk_notes(group: Any, author: User, count: int, *, title: str = "Bulk note") -> list[Any]:
    """Many encrypted notes at once, visible to ``group`` (Django cannot bulk-
    create rows of a model with a parent table, so note rows go in by hand)."""

    from django.db import connection

    from holdspace.processes.models import Note, Record, RecordAudience
    from holdspace.vault import attest, crypto
    from holdspace.vault.fields import field_ad
    from holdspace.vault.keyring import wrap_ad
    from holdspace.vault.models import CompartmentVersion, DataKey, Wrap

    compartment = group.compartment
    public = bytes(
        CompartmentVersion.objects.get(
            compartment=compartment, version=compartment.version
        ).public_key
    )
    start = datetime.date(2024, 1, 1)
    secrets_ = [crypto.random_bytes() for _ in range(count)]
    keys = [DataKey(process_id=group.process_id) for _ in secrets_]
    for key, secret in zip(keys, secrets_, strict=True):
        key.commitment = attest.data_key_commitment(key.pk, key.process_id, secret)
    keys = DataKey.objects.bulk_create(keys)
    Wrap.objects.bulk_create(
        Wrap(
            data_key=key,
            compartment=compartment,
            version=compartment.version,
            sealed=crypto.seal_to(
                public, secret, wrap_ad(key.pk, compartment.pk, compartment.version)
            ),
        )
        for key, secret in zip(keys, secrets_, strict=True)
    )
    records = Record.objects.bulk_create(
        Record(
            kind=Record.Kind.NOTE,
            process_id=group.process_id,
            author=author,
            author_group=group,
            data_key=key,
            occurred_on=start + datetime.timedelta(days=i % 700),
        )
        for i, key in enumerate(keys)
    )
    rows = []
    for i, (record, key, secret) in enumerate(zip(records, keys, secrets_, strict=True)):
        note = Note(record_ptr=record, pk=record.pk)
        cells = [
            crypto.seal_data(secret, text.encode(), field_ad(note, field, key.pk))
            for field, text in (("title", f"{title} {i}"), ("body", "Body."))
        ]
        rows.append((record.pk.hex if connection.vendor == "sqlite" else record.pk, *cells))
    table = connection.ops.quote_name(Note._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (record_ptr_id, title, body) VALUES (%s, %s, %s)",  # noqa: S608
            rows,
        )
    RecordAudience.objects.bulk_create(RecordAudience(record=r, group=group) for r in records)
    return records


# Every form with free text, for the XSS (S31) and canary (S1) tests --------

Submit = Callable[["World", Client, str], list[str]]


def _posted(response: Any) -> Any:
    assert response.status_code == 302, response.content[-3000:]
    return response


def _new_process(world: World, client: Client, text: str) -> list[str]:
    from holdspace.processes.models import Process

    # The administrator allowed this coordinator to start processes.
    User.objects.filter(pk=world.personas["support-coordinator"].pk).update(
        may_start_processes=True
    )
    _posted(
        client.post(
            "/processes/new/",
            {
                "name": text,
                "started_on": "2026-01-01",
                "harmed_term": "survivor",
                "harming_term": "perpetrator",
                "harmed_pseudonym": text,
                "harming_pseudonym": text,
                "group_kind": "support",
                "group_name": text,
                "commitment_until": "",
            },
        )
    )
    process = Process.objects.latest("created_at")
    group = process.groups.get()
    return ["/dashboard/", f"/p/{process.pk}/", f"/p/{process.pk}/timeline/", f"/g/{group.pk}/"]


def _process_settings(world: World, client: Client, text: str) -> list[str]:
    pid = world.process.pk
    data = {
        "name": text,
        "started_on": "2025-01-01",
        "harmed_term": "survivor",
        "harming_term": "perpetrator",
        "status": "active",
        "version": world.process.__class__.objects.get(pk=pid).version,
    }
    _posted(client.post(f"/p/{pid}/settings/", data))
    _posted(client.post(f"/p/{pid}/parties/harming/", {"pseudonym": text[:100], "version": 1}))
    return [f"/p/{pid}/", "/dashboard/", f"/p/{pid}/timeline/"]


def _new_group(world: World, client: Client, text: str) -> list[str]:
    from holdspace.processes.models import Group

    _posted(
        client.post(
            f"/p/{world.process.pk}/groups/new/", {"kind": "custom", "name": text, "purpose": text}
        )
    )
    group = Group.objects.latest("created_at")
    _posted(client.post(f"/g/{group.pk}/edit/", {"name": text, "purpose": text, "version": 1}))
    return [f"/g/{group.pk}/", f"/p/{world.process.pk}/", f"/p/{world.process.pk}/timeline/"]


def _note(world: World, client: Client, text: str) -> list[str]:
    from holdspace.processes.models import Note

    group = world.groups["support"]
    _posted(
        client.post(
            f"/g/{group.pk}/notes/new/", {"occurred_on": "2026-01-01", "title": text, "body": text}
        )
    )
    note = Note.objects.latest("created_at")
    _posted(
        client.post(
            f"/r/{note.pk}/edit/",
            {"occurred_on": "2026-01-02", "title": text, "body": text + " again", "version": 1},
        )
    )
    return [f"/r/{note.pk}/", f"/r/{note.pk}/history/", f"/p/{world.process.pk}/timeline/"]


def _membership(world: World, client: Client, text: str) -> list[str]:
    from holdspace.processes.models import Membership

    group = world.groups["support"]
    mine = Membership.objects.get(group=group, user=world.personas["support-coordinator"])
    _posted(
        client.post(
            f"/g/{group.pk}/me/",
            {
                "commitment_until": "",
                "capacity_note": text,
                "conflict_of_interest": text,
                "version": mine.version,
            },
        )
    )
    invited = client.post(f"/g/{group.pk}/invite/", {"role": "member", "note": text[:100]})
    assert invited.status_code == 200 and b"/join/" in invited.content
    return [f"/g/{group.pk}/"]


def _join_with_a_declaration(world: World, client: Client, text: str) -> list[str]:
    from holdspace.processes.models import Membership

    group = world.groups["contact"]
    invited = client.post(f"/g/{group.pk}/invite/", {"role": "member", "note": ""})
    path = re.search(rb"http://testserver(/join/[A-Za-z0-9_-]+/)", invited.content).group(1)  # type: ignore[union-attr]  # the test fails at once if nothing matches
    newcomer = make_user(f"declaring-{secrets.token_hex(3)}")
    joiner = Client()
    sign_in(joiner, newcomer)
    _posted(
        joiner.post(
            path.decode(),
            {"commitment_until": "", "capacity_note": text, "conflict_of_interest": text},
        )
    )
    pending = Membership.objects.get(group=group, user=newcomer)
    _posted(client.post(f"/g/{group.pk}/members/{pending.pk}/confirm/", {"reason": text}))
    return [f"/g/{group.pk}/"]


# Each form: the persona who fills it in, and how.
FREE_TEXT_FORMS: dict[str, tuple[str, Submit]] = {
    "new process": ("support-coordinator", _new_process),
    "process settings, pseudonym": ("support-coordinator", _process_settings),
    "new group, group settings": ("support-coordinator", _new_group),
    "note, edit": ("support-coordinator", _note),
    "membership, invitation": ("support-coordinator", _membership),
    "join with a declaration, confirmation": ("contact-coordinator", _join_with_a_declaration),
}


# Page structure, for tests that check every page ---------------------------

FOCUSABLE_FIELDS = {"input", "select", "textarea"}


class PageStructure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.inline_scripts = 0
        self._script_has_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        self.tags.append((tag, attributes))
        # Only the page's title: SVG drawings have <title>s of their own.
        self._in_title = tag == "title" and not any(name == "body" for name, _a in self.tags)
        if tag == "script":
            self._script_has_src = "src" in attributes

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self.lasttag == "script" and data.strip() and not self._script_has_src:
            self.inline_scripts += 1

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.tags if name == tag]


def assert_well_structured(name: str, content: bytes) -> None:
    """A neutral title, landmarks, one heading, a label for every field,
    nothing inline that the CSP would block."""
    page = PageStructure()
    page.feed(content.decode())
    # Each page names its function (holdspace/web/tests/test_wayfinding.py keeps names out).
    assert page.title.strip() and page.title != "Holdspace", name
    assert page.all("html")[0].get("lang") in ("en", "de"), name
    assert len(page.all("h1")) == 1, name
    assert len(page.all("main")) == 1 and page.all("main")[0]["id"] == "main", name
    # A printout (a venue's rota) carries nothing but its content.
    printout = "printout" in page.all("body")[0].get("class", "").split()
    assert printout or (page.all("header") and page.all("footer")), name
    labelled = {label.get("for") for label in page.all("label")}
    for tag, attributes in page.tags:
        if tag in FOCUSABLE_FIELDS and attributes.get("type") not in ("hidden", "submit"):
            assert attributes.get("id") in labelled or attributes.get("aria-label"), (
                name,
                attributes,
            )
        if tag == "img":
            assert attributes.get("alt"), name
        # The CSP forbids inline handlers and styles: none may be written.
        assert not any(key.startswith("on") for key in attributes), (name, tag)
        assert "style" not in attributes, (name, tag)
    assert page.inline_scripts == 0, name
    for script in page.all("script"):
        assert script["src"].startswith("/static/"), name


def assert_pages_well_structured(world: World, urls: list[str], personas: tuple[str, ...]) -> None:
    """Every one of ``urls`` is well structured for each persona who may see
    it (the others get 404); each is seen by one of them at least."""
    seen = set()
    for persona in personas:
        client = client_for(world, persona)
        for url in urls:
            response = client.get(url)
            if response.status_code == 200:
                assert_well_structured(f"{persona} {url}", response.content)
                seen.add(url)
            else:
                assert response.status_code == 404, (persona, url, response.status_code)
    assert seen == set(urls)


# The letter, demands, agreements and rota (their helpers need the above).
from holdspace.testing.circle import CIRCLE_FORMS, CIRCLE_OPTIONAL  # noqa: E402
from holdspace.testing.closure import CLOSURE_FORMS, CLOSURE_OPTIONAL  # noqa: E402
from holdspace.testing.commitments import COMMITMENT_FORMS  # noqa: E402
from holdspace.testing.conclusion import CONCLUSION_FORMS, CONCLUSION_OPTIONAL  # noqa: E402
from holdspace.testing.contact import CONTACT_FORMS  # noqa: E402
from holdspace.testing.decisions import DECISIONS_FORMS, DECISIONS_OPTIONAL  # noqa: E402
from holdspace.testing.portal import PORTAL_FORMS, PORTAL_OPTIONAL  # noqa: E402

FREE_TEXT_FORMS.update(COMMITMENT_FORMS)
FREE_TEXT_FORMS.update(CONTACT_FORMS)
FREE_TEXT_FORMS.update(CIRCLE_FORMS)
FREE_TEXT_FORMS.update(DECISIONS_FORMS)
FREE_TEXT_FORMS.update(PORTAL_FORMS)
FREE_TEXT_FORMS.update(CLOSURE_FORMS)
FREE_TEXT_FORMS.update(CONCLUSION_FORMS)


# Optional free-text fields sent empty (issue 11) ----------------------------

# For each form of FREE_TEXT_FORMS, the optional free-text fields its
# submitter fills in and that may be sent empty instead.
OPTIONAL_TEXTS: dict[str, set[str]] = {
    "new process": set(),
    "process settings, pseudonym": set(),
    "new group, group settings": {"purpose"},
    "note, edit": {"title"},
    "membership, invitation": {"capacity_note", "conflict_of_interest", "note"},
    "join with a declaration, confirmation": set(),  # the newcomer posts it herself
    "letter, edit, copy": set(),
    "demand, wording, status, evidence": {"reason", "note"},
    "proposal for a demand": set(),
    "decision on a proposal": set(),  # a decline needs its reason
    "step, edit, evidence": {"note"},
    "agreement, edit, breach, renewal": {"response"},
    "rota": set(),
    "contact, edit": {"counterpart_note"},
    "meeting, edit, outcome": {"place", "agenda", "preparation_asked", "minutes", "follow_ups"},
    "report, edit": set(),
    **CIRCLE_OPTIONAL,
    **DECISIONS_OPTIONAL,
    **PORTAL_OPTIONAL,
    **CLOSURE_OPTIONAL,
    **CONCLUSION_OPTIONAL,
}


class LeavingOut:
    """A test client that sends the named fields empty in every POST, and
    fails the test when a form refuses that: they are optional."""

    def __init__(self, client: Client, fields: set[str]) -> None:
        self.client = client
        self.fields = fields
        self.left_out: set[str] = set()

    def post(self, path: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
        data = dict(data or {})
        empty = {name for name in self.fields if name in data}
        response = self.client.post(path, {**data, **dict.fromkeys(empty, "")}, **extra)
        assert b'class="errorlist' not in response.content, (path, empty)
        self.left_out |= empty
        return response

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)
