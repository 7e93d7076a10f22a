"""A full disk loses nothing typed (S53): the person sees that nothing was saved,
with their text to copy; reading keeps working; nothing is half-saved."""

from __future__ import annotations

import contextlib
import errno
import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import psycopg.errors
import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from holdspace.accounts.auth import SEEN_AT
from holdspace.accounts.models import Session
from holdspace.accounts.sessions import SessionStore
from holdspace.lib.logs import ContentFreeFormatter
from holdspace.testing import World, client_for, database_snapshot, production_env, run_holdspace
from holdspace.testing.commitments import soon
from holdspace.vault import session as vault_session
from holdspace.web.middleware import SessionMiddleware

pytestmark = pytest.mark.django_db

FULL = "Nothing was saved — the server's disk is full."
COPY = "Your text is below; copy it somewhere safe."
CANARY = "canary-full-disk-4f1c"
# Typed by a person, with characters that must come back escaped.
BODY = f"She said <b>no</b> & left.\nSecond line, {CANARY} ✍️"

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def sqlite_full() -> Exception:
    return sqlite3.OperationalError("database or disk is full")


def postgresql_full() -> Exception:
    return psycopg.errors.DiskFull(
        'could not extend file "base/16384/2619": No space left on device'
    )


ERRORS = pytest.mark.parametrize(
    "make_error", [sqlite_full, postgresql_full], ids=["sqlite", "postgresql"]
)


@contextlib.contextmanager
def full_disk(make_error: Callable[[], Exception]) -> Iterator[list[str]]:
    """Every statement that writes fails as on a full disk; reading works.
    Yields the writes that were refused."""
    refused: list[str] = []

    def refuse_writes(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith(_WRITES):
            refused.append(sql.split()[0].upper())
            # As a driver's error reaches Django: wrapped, for the driver in use.
            with context["connection"].wrap_database_errors:
                raise make_error()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_writes):
        yield refused


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def form_data(client: Client, url: str, **fields: str) -> dict[str, str]:
    """What the browser sends: the form's hidden fields (tokens) and ``fields``."""
    page = client.get(url)
    assert page.status_code == 200
    hidden = dict(_HIDDEN.findall(page.content.decode()))
    hidden.pop("csrfmiddlewaretoken", None)
    return {**{k: html.unescape(v) for k, v in hidden.items()}, **fields}


def shown(response: Any) -> str:
    return html.unescape(bytes(response.content).decode())


def logged(caplog: pytest.LogCaptureFixture) -> str:
    formatter = ContentFreeFormatter()
    return "\n".join(formatter.format(record) for record in caplog.records)


@ERRORS
def test_a_note_on_a_full_disk_shows_the_text_and_saves_nothing_S53(
    world: World, make_error: Callable[[], Exception], caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(world, "contact-member")
    group = world.groups["contact"]
    url = reverse("hs-note-new", args=[group.pk])
    data = form_data(client, url, occurred_on="2026-11-20", title="After <the> call", body=BODY)
    before = database_snapshot()
    with full_disk(make_error) as refused:
        response = client.post(url, data)
        # Reading keeps working on the same full disk.
        group_page = client.get(reverse("hs-group", args=[group.pk]))
        timeline = client.get(reverse("hs-timeline", args=[world.process.pk]))
    assert refused, "the note was never written"
    assert response.status_code == 507
    page = shown(response)
    assert FULL in page and COPY in page
    assert BODY in page and "After <the> call" in page
    # Escaped: what was typed is text on the page, never markup.
    assert b"<b>no</b>" not in response.content and b"&lt;b&gt;no&lt;/b&gt;" in response.content
    assert database_snapshot() == before
    assert group_page.status_code == 200 and timeline.status_code == 200
    assert CANARY not in logged(caplog)
    assert "storage.full" in logged(caplog)


@ERRORS
def test_a_contact_entry_on_a_full_disk_shows_the_text_and_saves_nothing_S53(
    world: World, make_error: Callable[[], Exception]
) -> None:
    client = client_for(world, "contact-coordinator")
    group = world.groups["contact"]
    url = reverse("hs-contact-new", args=[group.pk])
    data = form_data(
        client,
        url,
        direction="outgoing",
        counterpart="surroundings",
        counterpart_note=f"his flatmate {CANARY}",
        channel="letter",
        occurred_on=soon(-2).isoformat(),
        summary=BODY,
    )
    before = database_snapshot()
    with full_disk(make_error):
        response = client.post(url, data)
        again = client.get(reverse("hs-contact-log", args=[world.process.pk]))
    assert response.status_code == 507
    page = shown(response)
    assert FULL in page and BODY in page and f"his flatmate {CANARY}" in page
    # Choices and dates are not "text": only what was typed is shown.
    assert "surroundings" not in page
    assert database_snapshot() == before
    assert again.status_code == 200


def test_reading_on_a_full_disk_is_no_400_and_keeps_the_session_S53(world: World) -> None:
    """Pages refresh a time stamp in the session; on a full disk that save is
    skipped, not turned into "400 Bad Request" for every page."""
    client = client_for(world, "contact-member")
    session = client.session
    session[SEEN_AT] = time.time() - 60  # due for a refresh
    session.save()
    stored = Session.objects.get(session_key=session.session_key).session_data
    with full_disk(sqlite_full) as refused:
        pages = [
            client.get(reverse("hs-dashboard")),
            client.get(reverse("hs-process", args=[world.process.pk])),
            client.get(reverse("hs-record", args=[world.notes["contact"].pk])),
        ]
    assert "UPDATE" in refused
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert b"contact note" in pages[2].content  # the key still opens the record
    assert settings.SESSION_COOKIE_NAME not in pages[0].cookies
    assert Session.objects.get(session_key=session.session_key).session_data == stored
    # With space again, the same browser goes on as before.
    assert client.get(reverse("hs-dashboard")).status_code == 200


def _saving_view(request: HttpRequest) -> HttpResponse:
    """A view that, like joining a group, puts new keys in the session and a
    new key cookie on the response."""
    request.session["something"] = "new"
    response = HttpResponse("ok")
    response.set_cookie(vault_session.COOKIE, "new-secret")
    return response


def test_a_skipped_session_save_leaves_the_browser_its_cookies_S53(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The key cookie must keep matching the sealed key in the stored session:
    a new cookie without its session half would lock the person out of every
    key until they log in again."""

    def full(self: SessionBase, must_create: bool = False) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.save", full)
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "old-session"
    response = SessionMiddleware(_saving_view)(request)
    assert isinstance(response, HttpResponse) and response.status_code == 200
    assert isinstance(request.session, SessionStore) and request.session.save_skipped
    cookies: SimpleCookie = response.cookies
    assert vault_session.COOKIE not in cookies
    assert settings.SESSION_COOKIE_NAME not in cookies


class _FailingMiddleware:
    """Writes outside any view (as the session or audit machinery might) and
    meets the full disk there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.get_response(request)


@override_settings(
    MIDDLEWARE=[*settings.MIDDLEWARE, f"{__name__}._FailingMiddleware"],
)
def test_a_full_disk_outside_the_view_is_no_500_either_S53(world: World) -> None:
    client = client_for(world, "contact-member")
    client.raise_request_exception = False
    url = reverse("hs-note-new", args=[world.groups["contact"].pk])
    data = form_data(client, url, occurred_on="2026-11-20", title="", body=BODY)
    before = database_snapshot()
    response = client.post(url, data)
    assert response.status_code == 507
    assert FULL in shown(response) and BODY in shown(response)
    assert b"Something went wrong on our side" not in response.content
    assert database_snapshot() == before


def test_other_database_errors_still_get_the_generic_500_page_S36(world: World) -> None:
    client = client_for(world, "contact-member")
    client.raise_request_exception = False
    url = reverse("hs-note-new", args=[world.groups["contact"].pk])
    data = form_data(client, url, occurred_on="2026-11-20", title="", body=BODY)
    with full_disk(lambda: sqlite3.OperationalError("database is locked")):
        response = client.post(url, data)
    assert response.status_code == 500
    assert BODY.encode() not in response.content


# A real full disk: a tiny file system, without root (a user namespace) -----------

DRIVER = r"""
import html, json, os, re, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from holdspace.testing import _process_with_groups, make_user, sign_in

call_command("migrate", verbosity=0)
writer = make_user("writer")
_process, groups, _keyring = _process_with_groups("Process", "P", writer)
group = groups["support"]
client = Client()
sign_in(client, writer)
url = reverse("hs-note-new", args=[group.pk])
form = client.get(url)
data = {k: html.unescape(v) for k, v in re.findall(
    r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.content.decode())}
data.update(json.loads(sys.argv[1]))
with connection.cursor() as cursor:  # no room left in the WAL either
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
filler = os.open(os.path.join(os.environ["HOLDSPACE_DATA_DIR"], "filler"), os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(filler, b"\0" * 65536)
except OSError:
    pass
try:
    while True:
        os.write(filler, b"\0")
except OSError as error:
    full = error.errno
os.close(filler)
# As the server does after every request (the test client does not).
connection.close()
posted = client.post(url, data)
connection.close()
read = client.get(reverse("hs-group", args=[group.pk]))
print(json.dumps({
    "full": full,
    "status": posted.status_code,
    "page": html.unescape(posted.content.decode()),
    "read": read.status_code,
}))
"""


def _tmpfs_works(mount_point: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=1m tmpfs "$1"', "sh", mount_point],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def test_a_real_full_disk_keeps_the_text_and_reading_works_S53(tmp_path: Path) -> None:
    """SQLite on a tiny file system filled to the last byte: the note is
    refused with its text on the page, and the next page still opens (one
    idle connection keeps SQLite's -shm file, which reading needs)."""
    if connection.vendor != "sqlite":
        pytest.skip("the tiny file system holds an SQLite data directory")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if not _tmpfs_works(mount_point):
        pytest.skip("no user namespaces here: cannot mount a tiny file system without root")
    note = {"occurred_on": "2026-11-20", "title": "On a full disk", "body": BODY}
    script = (
        'mount -t tmpfs -o size=32m tmpfs "$1" && mkdir -m 700 "$1/data" && exec "$2" -c "$3" "$4"'
    )
    result = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            script,
            "sh",
            mount_point,
            sys.executable,
            DRIVER,
            json.dumps(note),
        ],
        env={
            "PATH": os.environ["PATH"],
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "holdspace.settings",
            "HOLDSPACE_ENV": "test",
            "HOLDSPACE_DATA_DIR": str(mount_point / "data"),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["full"] == errno.ENOSPC
    assert seen["status"] == 507
    assert FULL in seen["page"] and BODY in seen["page"]
    assert seen["read"] == 200
    assert CANARY not in result.stderr


# Warnings before the disk is full ---------------------------------------------------


def test_check_and_start_up_warn_when_space_runs_low_S53(tmp_path: Path) -> None:
    """Below HOLDSPACE_MIN_FREE_MB, `holdspace check` and `prepare` say so; it
    stops neither (reading must go on), and nobody is warned above it."""
    low = {"HOLDSPACE_MIN_FREE_MB": "10000000"}  # 10 TB: more than any test disk has
    checked = run_holdspace(["check"], production_env(tmp_path, **low))
    assert checked.returncode == 0, checked.stderr
    assert "MB are free on the disk of the data directory" in checked.stderr
    assert "HOLDSPACE_MIN_FREE_MB is 10000000" in checked.stderr
    quiet = run_holdspace(["check"], production_env(tmp_path, HOLDSPACE_MIN_FREE_MB="0"))
    assert quiet.returncode == 0 and "MB are free" not in quiet.stderr

    data = tmp_path / "data"
    prepared = run_holdspace(["prepare"], {"HOLDSPACE_DATA_DIR": str(data), **low})
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    assert "MB are free on the disk of the data directory" in prepared.stderr
