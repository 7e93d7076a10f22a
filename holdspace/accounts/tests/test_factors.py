"""Second factors at rest (S48): authenticator seeds sealed, backup codes
kept only as keyed digests, neither in the database, the sessions or the
logs — and both still work, once, with throttling."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client

from holdspace.accounts import auth, factors
from holdspace.accounts.models import AuthenticatorDevice, BackupCode, Session, User
from holdspace.accounts.tests.helpers import shown_backup_codes
from holdspace.testing import (
    PASSWORD,
    code_for,
    enrolment_code,
    enrolment_key,
    make_user,
    run_holdspace,
    stored_bytes,
)

pytestmark = pytest.mark.django_db


def _at_rest() -> bytes:
    """The database files, and every session decoded (their stored form is
    compressed, where a plain text would not show)."""
    sessions = [json.dumps(s.get_decoded()) for s in Session.objects.all()]
    return stored_bytes() + "".join(sessions).encode()


def _seed_forms(key_hex: str) -> list[bytes]:
    seed = bytes.fromhex(key_hex)
    secret = base64.b32encode(seed)
    return [seed, key_hex.encode(), key_hex.upper().encode(), secret, secret.lower()]


def _code_forms(code: str) -> list[bytes]:
    shown = auth.format_backup_code(code)
    return [code.encode(), code.upper().encode(), shown.encode(), shown.upper().encode()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="searches the SQLite files")
@pytest.mark.django_db(transaction=True)
def test_no_seed_and_no_backup_code_lies_open_in_the_database_sessions_or_logs_S48(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    make_user("bea", two_factor=False)
    with caplog.at_level("DEBUG"), time_machine.travel("2026-11-22 09:00:00", tick=False) as t:
        client.post("/login/", {"username": "bea", "password": PASSWORD})
        client.get("/login/setup/")
        key = enrolment_key(client)
        while_setting_up = _at_rest()
        assert client.post("/login/setup/", {"code": enrolment_code(client)}).status_code == 302
        # The new backup codes wait for the next page, in the session.
        before_shown = _at_rest()
        codes = shown_backup_codes(client.get("/account/backup-codes/").content)
        assert len(codes) == auth.BACKUP_CODE_COUNT
        after_shown = _at_rest()
        # And both still work: the app's next code, and a backup code once.
        user = User.objects.get(username="bea")
        t.shift(30)
        assert auth.verify_code(user, code_for(user))[0] is not None
        assert auth.verify_code(user, codes[0])[0] is not None
        t.shift(30)
        assert auth.verify_code(user, codes[0])[0] is None
    for name, haystack in {
        "while setting up": while_setting_up,
        "before the codes were shown": before_shown,
        "after": after_shown,
        "logs": caplog.text.encode(),
    }.items():
        for form in _seed_forms(key):
            assert form not in haystack, name
        if name != "while setting up":
            for code in codes:
                for form in _code_forms(code):
                    assert form not in haystack, name


def test_the_search_would_find_a_seed_kept_in_the_clear() -> None:
    """The check above can fail: a seed in the session in the clear is found."""
    user = make_user("bea")
    client = Client()
    client.post("/login/", {"username": "bea", "password": PASSWORD})
    session = client.session
    session["leak"] = "00112233445566778899aabbccddeeff01234567"
    session.save()
    assert _seed_forms("00112233445566778899aabbccddeeff01234567")[1] in _at_rest()
    assert user.is_active


def test_backup_codes_are_stored_as_digests_keyed_outside_the_database_S48(user: User) -> None:
    codes = auth.new_backup_codes(user)
    stored = {bytes(d) for d in BackupCode.objects.values_list("digest", flat=True)}
    assert len(stored) == auth.BACKUP_CODE_COUNT
    for code in codes:
        # Not a plain hash anyone could compute from a guess …
        assert hashlib.sha256(code.encode()).digest() not in stored
        assert hashlib.blake2b(code.encode(), digest_size=32).digest() not in stored
        # … but the keyed digest, bound to the account.
        assert factors.code_digest(user.pk, code) in stored
        assert factors.code_digest("another-account", code) not in stored


def test_a_backup_code_copied_to_another_account_does_not_work_there_S48(user: User) -> None:
    other = make_user("bob")
    codes = auth.new_backup_codes(user)
    auth.new_backup_codes(other)
    mine = BackupCode.objects.filter(device__user=user).first()
    assert mine is not None
    theirs = BackupCode.objects.filter(device__user=other).first()
    assert theirs is not None
    theirs.digest = mine.digest
    theirs.save(update_fields=["digest"])
    assert not any(auth.verify_code(other, code)[0] for code in codes[:1])


def test_a_seed_moved_to_another_account_opens_nothing_S48(client: Client, user: User) -> None:
    other = make_user("bob")
    mine = AuthenticatorDevice.objects.get(user=user)
    theirs = AuthenticatorDevice.objects.get(user=other)
    theirs.sealed_key = mine.sealed_key
    theirs.save(update_fields=["sealed_key"])
    client.post("/login/", {"username": "bob", "password": PASSWORD})
    response = client.post("/login/code/", {"code": code_for(user)})
    assert response.status_code == 200
    assert b"This code is not right" in response.content
    assert client.get("/dashboard/").status_code == 302


def test_wrong_backup_codes_are_throttled_S22(client: Client, user: User) -> None:
    codes = auth.new_backup_codes(user)
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        client.post("/login/", {"username": "alice", "password": PASSWORD})
        client.post("/login/code/", {"code": "aaaa-aaaa"})
        response = client.post("/login/code/", {"code": codes[0]})
    assert b"Too many wrong codes" in response.content
    assert client.get("/dashboard/").status_code == 302
    assert BackupCode.objects.filter(device__user=user).count() == len(codes)


def test_the_authenticator_still_counts_each_code_once_S22(user: User) -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        code = code_for(user)
        assert auth.verify_code(user, code)[0] is not None
        assert auth.verify_code(user, code)[0] is None


OLD_SEED = "00112233445566778899aabbccddeeff01234567"
OLD_CODE = "mzxw6ytb"

# The account is made as its table was at that migration: columns added
# later (such as who may start processes) are not there yet.
PLANT_OLD_ROWS = f"""
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
state = MigrationLoader(connection).project_state(("accounts", "0001_initial"))
user = state.apps.get_model("accounts", "User").objects.create(username="olduser", password="!")
TOTPDevice.objects.create(
    user_id=user.pk, name="authenticator", key="{OLD_SEED}", confirmed=True
)
device = StaticDevice.objects.create(user_id=user.pk, name="backup codes")
StaticToken.objects.create(device=device, token="{OLD_CODE}")
"""

CHECK_NEW_ROWS = f"""
from django_otp.oath import totp
from holdspace.accounts import auth
from holdspace.accounts.models import AuthenticatorDevice, User
user = User.objects.get(username="olduser")
device = AuthenticatorDevice.objects.get(user=user)
assert device.key == "{OLD_SEED}" and device.confirmed
assert auth.verify_code(user, f"{{totp(bytes.fromhex('{OLD_SEED}')):06d}}")[0] == device
assert auth.backup_codes_left(user) == 1
assert auth.verify_code(user, "{OLD_CODE}")[0] is not None
assert auth.backup_codes_left(user) == 0
print("new rows work")
"""

CHECK_OLD_ROWS = f"""
from django_otp.plugins.otp_totp.models import TOTPDevice
assert list(TOTPDevice.objects.values_list("key", "confirmed")) == [("{OLD_SEED}", True)]
print("old rows back")
"""


def test_the_migration_seals_old_seeds_and_hashes_old_codes_and_goes_back_S48_S41(
    tmp_path: Path,
) -> None:
    env = {"HOLDSPACE_DATA_DIR": str(tmp_path)}

    def run(*args: str) -> str:
        result = run_holdspace(list(args), env)
        assert result.returncode == 0, (args, result.stderr[-2000:])
        return result.stdout

    run("migrate", "--no-input")
    run("migrate", "accounts", "0001", "--no-input")
    run("shell", "-c", PLANT_OLD_ROWS)
    run("migrate", "--no-input")
    files = b"".join(path.read_bytes() for path in tmp_path.glob("holdspace.sqlite3*"))
    assert OLD_SEED.encode() not in files and OLD_CODE.encode() not in files
    assert "new rows work" in run("shell", "-c", CHECK_NEW_ROWS)
    # Down again: the seed goes back to django-otp's table (backup codes
    # cannot be turned back from their digests), and up once more.
    run("migrate", "accounts", "0001", "--no-input")
    assert "old rows back" in run("shell", "-c", CHECK_OLD_ROWS)
    run("migrate", "--no-input")
    run("migrate", "--check")
