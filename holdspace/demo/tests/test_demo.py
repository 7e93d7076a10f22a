"""The demo: every role can log in with the credentials file; it is idempotent."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.oath import totp

from holdspace.accounts.models import User
from holdspace.demo import builder
from holdspace.testing import make_user

pytestmark = pytest.mark.django_db


def _log_in(row: dict[str, str]) -> Client:
    client = Client()
    response = client.post("/login/", {"username": row["username"], "password": row["password"]})
    assert response["Location"] == "/login/code/", row["username"]
    code = f"{totp(base64.b32decode(row['totp_secret'])):06d}"
    response = client.post("/login/code/", {"code": code})
    assert response["Location"] == "/dashboard/", row["username"]
    return client


def test_the_credentials_file_logs_in_every_account(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    call_command("demo", credentials=str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = json.loads(path.read_text())["accounts"]
    assert {row["username"] for row in rows} == {a.username for a in builder.ACCOUNTS}
    for row in rows:
        assert set(row) == {"username", "password", "totp_secret", "role", "description"}
        client = _log_in(row)
        # The two people the process is about go on to their own pages.
        assert b"This is a demonstration" in client.get("/dashboard/", follow=True).content


def test_the_admin_sees_the_administration_and_others_do_not(tmp_path: Path) -> None:
    call_command("demo", credentials=str(tmp_path / "c.json"))
    rows = {row["role"]: row for row in builder.credentials()}
    assert _log_in(rows["instance admin"]).get("/instance/").status_code == 200
    assert _log_in(rows["account without a group"]).get("/instance/").status_code == 404


def test_it_runs_once_and_writes_the_same_file_again(tmp_path: Path) -> None:
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    call_command("demo", credentials=str(first))
    users = User.objects.count()
    call_command("demo", credentials=str(second))
    assert User.objects.count() == users
    assert first.read_text() == second.read_text()


def test_it_never_mixes_with_real_accounts(tmp_path: Path) -> None:
    make_user("real-person")
    with pytest.raises(CommandError, match="already holds accounts"):
        call_command("demo")
    call_command("demo", if_empty=True)
    assert not User.objects.filter(is_demo=True).exists()


def test_it_prints_a_current_code_for_demo_accounts_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo")
    capsys.readouterr()
    call_command("demo", code="demo-admin")
    assert capsys.readouterr().out.strip() == builder.current_code("demo-admin")
    make_user("someone-real")
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo", code="someone-real")


# What each demo role sees in Process Juniper.
SEES = {
    "demo-support-coordinator": (
        {"How we want to work", "First e-mail to K."},
        {"Still no answer"},
    ),
    "demo-support-member": ({"Draft of the letter", "Two years in"}, {"Walk by the river"}),
    "demo-contact-coordinator": ({"Still no answer", "What M. wants now"}, {"Draft of the letter"}),
    "demo-contact-member": ({"Meeting missed", "Feedback on the first report"}, {"M. is tired"}),
    "demo-supervision": ({"Report for supervision", "Six-month report"}, {"Still no answer"}),
    "demo-support-team": ({"Walk by the river", "Check-in"}, {"Meeting missed"}),
}


def _juniper_pages(client: Client) -> bytes:
    from holdspace.processes.models import Process

    process = Process.objects.order_by("created_at")[0]  # Juniper; Rowan came later
    pages = [client.get(f"/p/{process.pk}/timeline/?page={n}").content for n in (1, 2, 3, 4)]
    return b"".join(pages)


def test_each_demo_role_sees_what_its_role_should(tmp_path: Path) -> None:
    call_command("demo", credentials=str(tmp_path / "c.json"))
    rows = {row["username"]: row for row in builder.credentials()}
    for username, (visible, hidden) in SEES.items():
        content = _juniper_pages(_log_in(rows[username]))
        for title in visible:
            assert title.encode() in content, (username, title)
        for title in hidden:
            assert title.encode() not in content, (username, title)
    for username in ("demo-pending", "demo-survivor", "demo-portal", "demo-admin", "demo-newcomer"):
        client = _log_in(rows[username])
        content = _juniper_pages(client)
        assert b"Process Juniper" not in content and b"How we want to work" not in content
        if username == "demo-pending":
            dashboard = client.get("/dashboard/").content
            assert b"Waiting for a coordinator of this group to confirm you." in dashboard
            assert b"cannot read this yet" not in dashboard


def test_the_demo_spans_two_years_with_varied_audiences() -> None:
    from holdspace.processes.models import Note, Process, RecordAudience

    call_command("demo")
    process = Process.objects.order_by("created_at")[0]  # Juniper; Rowan came later
    dates = Note.objects.filter(process=process).values_list("occurred_on", flat=True)
    assert (max(dates) - min(dates)).days >= 730
    audiences = {
        frozenset(RecordAudience.objects.filter(record=note).values_list("group__kind", flat=True))
        for note in Note.objects.filter(process=process)
    }
    assert len(audiences) >= 5
    assert set(process.groups.values_list("kind", flat=True)) >= {
        "support",
        "contact",
        "supervision",
        "support_team",
    }


def test_the_audit_log_of_the_demo_verifies_and_tampering_shows() -> None:
    from django.db import connection

    from holdspace.audit import services as audit

    call_command("demo")
    count, problems = audit.verify()
    assert count > 20 and problems == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET action = 'note.edited' WHERE seq = 5")
    assert audit.verify()[1]
