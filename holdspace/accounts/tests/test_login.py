"""Log-in: password, then a second factor, with session rotation and lockout."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from holdspace.accounts import auth
from holdspace.accounts.models import AuthenticatorDevice, BackupCode, Session, User
from holdspace.testing import PASSWORD, code_for, make_user, normalised

pytestmark = pytest.mark.django_db


def test_it_shows_the_login_page(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'autocomplete="current-password"' in response.content


def test_it_logs_in_with_password_and_code_S22(client: Client, user: User) -> None:
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response["Location"] == "/login/code/"
    # Between the steps nothing is reachable: the account is not logged in.
    assert client.get("/dashboard/")["Location"].startswith("/login/")
    response = client.post("/login/code/", {"code": code_for(user)})
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_it_accepts_the_username_in_any_case(client: Client, user: User) -> None:
    response = client.post("/login/", {"username": "  ALICE ", "password": PASSWORD})
    assert response["Location"] == "/login/code/"


def test_it_keeps_the_username_but_not_the_password_after_a_mistake(
    client: Client, user: User
) -> None:
    response = client.post("/login/", {"username": "alice", "password": "wrong password"})
    assert response.status_code == 200
    assert b"The username or password is not right" in response.content
    assert b'value="alice"' in response.content
    assert b"wrong password" not in response.content


def test_a_totp_code_works_only_once_S22(client: Client, user: User) -> None:
    code = code_for(user)
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert client.post("/login/code/", {"code": code}).status_code == 302
    other = Client()
    other.post("/login/", {"username": "alice", "password": PASSWORD})
    response = other.post("/login/code/", {"code": code})
    assert response.status_code == 200
    assert b"not right or was already used" in response.content
    assert other.get("/dashboard/").status_code == 302


def test_a_backup_code_works_only_once_S22(client: Client, user: User) -> None:
    codes = auth.new_backup_codes(user)
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    # Typed with the dash and in capitals, as people copy them.
    typed = auth.format_backup_code(codes[0]).upper()
    assert client.post("/login/code/", {"code": typed})["Location"] == "/dashboard/"
    assert BackupCode.objects.filter(device__user=user).count() == len(codes) - 1
    other = Client()
    other.post("/login/", {"username": "alice", "password": PASSWORD})
    assert other.post("/login/code/", {"code": codes[0]}).status_code == 200
    assert other.get("/dashboard/").status_code == 302


def test_a_backup_code_does_not_count_as_a_wrong_totp_code(client: Client, user: User) -> None:
    codes = auth.new_backup_codes(user)
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    client.post("/login/code/", {"code": codes[0]})
    device = AuthenticatorDevice.objects.get(user=user)
    assert device.throttling_failure_count == 0


def test_wrong_codes_are_throttled(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        client.post("/login/", {"username": "alice", "password": PASSWORD})
        client.post("/login/code/", {"code": "000000"})
        client.post("/login/code/", {"code": "000001"})
        # The right code, too soon after wrong ones, is refused with a clear message.
        response = client.post("/login/code/", {"code": code_for(user)})
    assert b"Too many wrong codes" in response.content
    assert client.get("/dashboard/").status_code == 302


def test_the_code_step_expires(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False) as traveller:
        client.post("/login/", {"username": "alice", "password": PASSWORD})
        traveller.shift(11 * 60)
        response = client.post("/login/code/", {"code": code_for(user)})
    assert response["Location"] == "/login/"
    assert client.get("/dashboard/").status_code == 302


def test_the_session_id_rotates_at_password_and_at_code_S25(client: Client, user: User) -> None:
    client.get("/login/")
    client.session.save()
    first = client.session.session_key
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    second = client.cookies["__Host-hs-session"].value
    client.post("/login/code/", {"code": code_for(user)})
    third = client.cookies["__Host-hs-session"].value
    assert len({first, second, third}) == 3
    assert not Session.objects.filter(session_key__in=[first, second]).exists()
    assert Session.objects.get(session_key=third).user == user


def test_an_account_without_two_factor_must_set_it_up_first_S22(client: Client) -> None:
    make_user("bea", two_factor=False)
    response = client.post("/login/", {"username": "bea", "password": PASSWORD})
    assert response["Location"] == "/login/setup/"
    assert client.get("/login/code/")["Location"] == "/login/setup/"
    assert client.get("/dashboard/")["Location"].startswith("/login/")


def test_a_deactivated_account_cannot_log_in(client: Client, user: User) -> None:
    user.is_active = False
    user.save()
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert b"The username or password is not right" in response.content


def _attempt(client: Client, username: str, ip: str, password: str = "wrong password") -> bytes:
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return normalised(response.content)


def test_unknown_and_known_usernames_get_the_same_answer_S24(client: Client, user: User) -> None:
    known = _attempt(client, "alice", "10.0.0.1")
    unknown = _attempt(client, "nobody-here", "10.0.0.1")
    assert known == unknown.replace(b"nobody-here", b"alice")


def test_unknown_and_known_usernames_cost_the_same_hashing_S24(
    client: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Equal work, so equal time: the unknown name is hashed like a real one.

    The time itself is compared by `holdspace bench`, not by a timed test.
    """
    calls: list[str] = []
    original_encode = Argon2PasswordHasher.encode
    original_verify = Argon2PasswordHasher.verify

    def encode(self: Argon2PasswordHasher, password: str, salt: str) -> str:
        calls.append("hash")
        return original_encode(self, password, salt)

    def verify(self: Argon2PasswordHasher, password: str, encoded: str) -> bool:
        calls.append("hash")
        return original_verify(self, password, encoded)

    monkeypatch.setattr(Argon2PasswordHasher, "encode", encode)
    monkeypatch.setattr(Argon2PasswordHasher, "verify", verify)
    _attempt(client, "alice", "10.0.0.2")
    known = len(calls)
    calls.clear()
    _attempt(client, "nobody-here", "10.0.0.2")
    assert known == len(calls) == 1


def test_lockout_is_per_username_and_address_S23(client: Client, user: User) -> None:
    for _ in range(5):
        _attempt(client, "alice", "10.0.0.9")
    locked = client.post(
        "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert locked.status_code == 429
    assert b"paused for 15 minutes" in locked.content
    # The same person from her own address is not locked out by the attacker.
    elsewhere = Client()
    response = elsewhere.post(
        "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10"
    )
    assert response["Location"] == "/login/code/"
    # Other usernames from the attacker's address still work, too.
    make_user("bob")
    other = Client()
    response = other.post(
        "/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response["Location"] == "/login/code/"


def test_lockout_ends_after_the_cool_off_S23(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False) as traveller:
        for _ in range(6):
            _attempt(client, "alice", "10.0.0.11")
        traveller.shift(16 * 60)
        response = client.post(
            "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.11"
        )
    assert response["Location"] == "/login/code/"


def test_a_locked_out_unknown_username_looks_the_same_S24(client: Client, user: User) -> None:
    for name in ("alice", "nobody-here"):
        for _ in range(5):
            _attempt(client, name, "10.0.0.12")
    known = _attempt(client, "alice", "10.0.0.12")
    unknown = _attempt(client, "nobody-here", "10.0.0.12")
    assert known == unknown.replace(b"nobody-here", b"alice")


def test_failed_logins_are_logged_without_content_S20(
    client: Client, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="holdspace.security"):
        _attempt(client, "alice", "10.0.0.13", password="canary-Zq81-secret")
    text = caplog.text
    assert "login.failed" in text
    assert "canary-Zq81-secret" not in text
    assert "alice" not in text


def test_logout_ends_the_session_and_clears_the_browser_S29(signed_in: Client, user: User) -> None:
    key = signed_in.session.session_key
    response = signed_in.post("/logout/")
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not Session.objects.filter(session_key=key).exists()
    assert signed_in.get("/dashboard/").status_code == 302


def test_logout_works_even_without_the_instance_key_S29(
    signed_in: Client, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    """Leaving must never fail: with the instance key unreadable, the session
    still ends (the audit entry cannot be written, and the log says so)."""
    from pathlib import Path

    from django.conf import settings

    from holdspace.vault import instance

    key = signed_in.session.session_key
    key_file = Path(settings.VAULT_INSTANCE_KEY_FILE)
    kept = key_file.read_bytes()
    key_file.unlink()
    instance.forget()
    try:
        response = signed_in.post("/logout/")
    finally:
        key_file.write_bytes(kept)
        key_file.chmod(0o600)
        instance.forget()
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not Session.objects.filter(session_key=key).exists()
    assert "audit.unavailable action=account.logged_out" in caplog.text
    assert user.username not in caplog.text


def test_logout_is_post_only_S30(signed_in: Client) -> None:
    assert signed_in.get("/logout/").status_code == 405
    assert signed_in.get("/dashboard/").status_code == 200
