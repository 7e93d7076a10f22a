"""`holdspace createadmin` and `holdspace invite`, and an invited person's
whole first day: invitation, password, two-factor, log-out, log-in again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from holdspace.accounts.models import User
from holdspace.testing import code_for, enrolment_code, run_holdspace

pytestmark = pytest.mark.django_db

PASSWORD = "lantern meadow copper violin"


def test_createadmin_with_a_password_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    call_command("createadmin", username="Root-Admin", password_stdin=True)
    user = User.objects.get(username="root-admin")
    assert user.is_instance_admin and user.check_password(PASSWORD)


def test_createadmin_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with translation.override("en"), pytest.raises(CommandError, match=r"too common|too short"):
        call_command("createadmin", username="root", password_stdin=True)
    assert not User.objects.exists()


def test_createadmin_without_a_username_prints_an_admin_invitation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("createadmin")
    link = capsys.readouterr().out.strip()
    token = link.rsplit("/", 2)[-2]
    from holdspace.accounts.models import Invitation

    invitation = Invitation.find_usable(Invitation.Kind.ACCOUNT, token)
    assert invitation is not None and invitation.grants_instance_admin


def test_the_commands_have_help(tmp_path: Path) -> None:
    for command in ("serve", "demo", "check", "createadmin", "invite", "audit", "prepare"):
        result = run_holdspace([command, "--help"], {"HOLDSPACE_DATA_DIR": str(tmp_path)})
        assert result.returncode == 0, command
        assert "usage:" in result.stdout, command
    overview = run_holdspace(["--help"], {})
    assert overview.returncode == 0 and "createadmin" in overview.stdout


def test_an_unknown_command_fails(tmp_path: Path) -> None:
    result = run_holdspace(["no-such-command"], {"HOLDSPACE_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0


def test_an_invited_person_gets_in_and_back_in(capsys: pytest.CaptureFixture[str]) -> None:
    """Done when: invited, set a password, enrol TOTP, log out, log in again."""
    call_command("invite")
    path = re.sub(r"^https?://[^/]+", "", capsys.readouterr().out.strip())
    client = Client()
    with time_machine.travel("2026-11-22 09:00:00", tick=False) as traveller:
        response = client.post(
            path, {"username": "sam", "new_password": PASSWORD, "new_password_again": PASSWORD}
        )
        assert response["Location"] == "/login/setup/"
        client.get("/login/setup/")
        code = enrolment_code(client)
        assert client.post("/login/setup/", {"code": code})["Location"] == "/account/backup-codes/"
        assert b"Your backup codes" in client.get("/account/backup-codes/").content
        # The recovery key comes next: shown once, confirmed by typing it.
        page = client.get("/account/recovery-key/").content.decode()
        key = re.search(r'class="secret recovery-key"[^>]*>([A-Z2-7-]+)<', page).group(1)  # type: ignore[union-attr]  # the test fails at once if nothing matches
        response = client.post("/account/recovery-key/", {"recovery_key": key.lower()})
        # Then, once, what the quick exit does and cannot do.
        assert response["Location"] == "/safety/"
        assert b'href="/dashboard/"' in client.get("/safety/").content
        assert client.get("/dashboard/").status_code == 200
        client.post("/logout/")
        assert client.get("/dashboard/").status_code == 302
        traveller.shift(60)  # the next day's log-in, with the app's next code
        response = client.post("/login/", {"username": "sam", "password": PASSWORD})
        assert response["Location"] == "/login/code/"
        user = User.objects.get(username="sam")
        assert client.post("/login/code/", {"code": code_for(user)})["Location"] == "/dashboard/"
        assert client.get("/dashboard/").status_code == 200
