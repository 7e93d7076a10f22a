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
        assert b"This is a demonstration" in client.get("/dashboard/").content


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
