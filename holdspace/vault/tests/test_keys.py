"""Account keys: opened with the password or the recovery key, kept in the
session only under a browser secret, useless without the instance key
(S5 to S8, S12)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from holdspace.accounts.models import Session, User
from holdspace.testing import (
    PASSWORD,
    PRIVATE_KEYS,
    RECOVERY_KEYS,
    World,
    code_for,
    log_in_through_forms,
    make_user,
    normalised,
    sign_in,
)
from holdspace.vault import accounts as vault_accounts
from holdspace.vault import checks, crypto, instance
from holdspace.vault import session as vault_session
from holdspace.vault.fields import DAMAGED, LOCKED
from holdspace.vault.models import AccountKey

NEW_PASSWORD = "a fresh lantern by the sea"


def _encodings(secret: bytes) -> list[bytes]:
    return [
        secret,
        secret.hex().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret),
        base64.b64encode(secret).rstrip(b"="),
    ]


def _database_bytes() -> bytes:
    name = Path(connection.settings_dict["NAME"])
    return b"".join(
        path.read_bytes()
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm"))
        if path.exists()
    )


# S5 ---------------------------------------------------------------------------


def test_the_deploy_check_refuses_test_speed_key_derivation_S5() -> None:
    assert [m.id for m in checks.check_kdf()] == ["holdspace.E020"]
    strong = {"time_cost": 3, "memory_kib": 64 * 1024, "parallelism": 1}
    with override_settings(VAULT_KDF=strong):
        assert checks.check_kdf() == []


@pytest.mark.django_db
def test_weak_key_derivation_is_upgraded_at_the_next_log_in_S5(client: Client) -> None:
    user = make_user("old-timer")
    stronger = {"time_cost": 2, "memory_kib": 64, "parallelism": 1}
    with override_settings(VAULT_KDF=stronger):
        log_in_through_forms(client, user)
    params = crypto.password_params(bytes(AccountKey.objects.get(user=user).by_password))
    assert params == crypto.KdfParams(**stronger)
    # The upgraded wrapping still opens the same key.
    with override_settings(VAULT_KDF=stronger):
        assert vault_accounts.unlock_with_password(user, PASSWORD) == PRIVATE_KEYS[user.pk]


# S6, S7 -----------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="searches the SQLite files")
@pytest.mark.django_db(transaction=True)
def test_a_private_key_never_lies_open_in_the_database_session_or_logs_S6(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    user = make_user("keeper")
    with caplog.at_level("DEBUG"):
        log_in_through_forms(client, user)
        client.get("/dashboard/")
        client.get("/account/")
    private = PRIVATE_KEYS[user.pk]
    sessions = b"".join(
        row.encode() for row in Session.objects.values_list("session_data", flat=True)
    )
    haystacks = {
        "database files": _database_bytes(),
        "sessions": sessions,
        "logs": caplog.text.encode(),
    }
    for name, haystack in haystacks.items():
        for encoding in _encodings(private):
            assert encoding not in haystack, name


@pytest.mark.django_db
def test_the_session_store_alone_opens_nothing_S7(client: Client, world: World) -> None:
    user = world.personas["support-member"]
    log_in_through_forms(client, user)
    page = client.get(f"/r/{world.notes['support'].pk}/").content
    assert b"The body of support note." in page
    # The same session without the browser's secret: a stolen session table.
    thief = Client()
    thief.cookies["__Host-hs-session"] = client.cookies["__Host-hs-session"].value
    stolen = thief.get(f"/r/{world.notes['support'].pk}/").content
    assert b"The body of support note." not in stolen
    assert str(LOCKED).encode().replace(b"'", b"&#x27;") in stolen
    # A guessed secret does not open it either.
    thief.cookies[vault_session.COOKIE] = base64.urlsafe_b64encode(bytes(32)).decode()
    assert b"The body of support note." not in thief.get(f"/r/{world.notes['support'].pk}/").content


@pytest.mark.django_db
def test_after_log_out_the_old_cookie_unlocks_nothing_S7(client: Client, world: World) -> None:
    user = world.personas["support-member"]
    log_in_through_forms(client, user)
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    client.post("/logout/")
    replay = Client()
    for name, value in cookies.items():
        replay.cookies[name] = value
    response = replay.get(f"/r/{world.notes['support'].pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Session.objects.filter(user=user).exists()


# S8 ---------------------------------------------------------------------------


def _recover(client: Client, username: str, key: str, password: str = NEW_PASSWORD) -> bytes:
    response = client.post(
        "/forgot/recovery/",
        {
            "username": username,
            "recovery_key": key,
            "new_password": password,
            "new_password_again": password,
        },
        REMOTE_ADDR="10.1.1.1",
    )
    return response.content if response.status_code == 200 else response["Location"].encode()


@pytest.mark.django_db
def test_the_recovery_key_restores_everything_S8(client: Client, world: World) -> None:
    user = world.personas["support-member"]
    assert _recover(client, user.username, RECOVERY_KEYS[user.pk].lower()) == b"/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    log_in_through_forms(client, user, password=NEW_PASSWORD)
    assert b"The body of support note." in client.get(f"/r/{world.notes['support'].pk}/").content


@pytest.mark.django_db
def test_a_wrong_recovery_key_changes_nothing_and_looks_like_an_unknown_user_S8_S24(
    client: Client, world: World
) -> None:
    user = world.personas["support-member"]
    wrong = vault_accounts.new_recovery_key()
    known = _recover(client, user.username, wrong)
    unknown = _recover(Client(), "nobody-at-all", wrong)
    assert b"The username or the recovery key is not right." in known
    normal = [re.sub(rb'value="[^"]*"', b'value=""', normalised(page)) for page in (known, unknown)]
    assert normal[0] == normal[1]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_reset_without_recovery_key_opens_nothing_old_until_restored_S8(
    client: Client, world: World
) -> None:
    from holdspace.accounts.models import Invitation

    user = world.personas["support-member"]
    note = world.notes["support"]
    _invitation, token = Invitation.issue(Invitation.Kind.RESET, created_by=None, account=user)
    client.post(
        f"/reset/{token}/", {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    log_in_through_forms(client, user, password=NEW_PASSWORD)
    page = client.get(f"/r/{note.pk}/").content
    assert b"The body of support note." not in page
    assert b"cannot read this yet" in page
    group_page = client.get(f"/g/{world.groups['support'].pk}/").content
    assert b"You do not hold this group" in group_page
    # A coordinator deliberately restores access ("restore access for …").
    coordinator = Client()
    sign_in(coordinator, world.personas["support-coordinator"])
    listed = coordinator.get(f"/g/{world.groups['support'].pk}/").content
    assert b"Restore access for support-member" in listed
    membership = world.memberships["support-member"]
    coordinator.post(f"/g/{world.groups['support'].pk}/members/{membership.pk}/restore/")
    assert b"The body of support note." in client.get(f"/r/{note.pk}/").content


@pytest.mark.django_db
def test_the_recovery_key_is_shown_once_and_confirmed_by_typing_it(client: Client) -> None:
    user = make_user("newcomer", recovery=False)
    log_in_through_forms(client, user)
    first = client.get("/account/recovery-key/").content.decode()
    shown = re.search(r'class="secret recovery-key"[^>]*>([A-Z2-7-]+)<', first).group(1)  # type: ignore[union-attr]  # the test fails at once if nothing matches
    # Reloading shows the same key: nothing is decided before it is confirmed.
    assert shown in client.get("/account/recovery-key/").content.decode()
    assert not vault_accounts.has_recovery_key(user)
    wrong = client.post("/account/recovery-key/", {"recovery_key": "AAAA-BBBB"})
    assert b"This is not the key shown above" in wrong.content
    assert (
        client.post("/account/recovery-key/", {"recovery_key": shown})["Location"] == "/dashboard/"
    )
    assert vault_accounts.unlock_with_recovery(user, shown) == PRIVATE_KEYS[user.pk]


@pytest.mark.django_db
def test_changing_the_password_re_wraps_the_same_key(client: Client, user: User) -> None:
    log_in_through_forms(client, user)
    client.post(
        "/account/password/",
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert vault_accounts.unlock_with_password(user, NEW_PASSWORD) == PRIVATE_KEYS[user.pk]
    with pytest.raises(crypto.CryptoError):
        vault_accounts.unlock_with_password(user, PASSWORD)


# S12 --------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_the_instance_key_nothing_opens_S12(client: Client, user: User) -> None:
    key_file = Path(settings.VAULT_INSTANCE_KEY_FILE)
    kept = key_file.read_bytes()
    key_file.unlink()
    instance.forget()
    try:
        response = client.post("/login/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 503
        assert b"cannot open accounts right now" in response.content
        assert client.get("/dashboard/").status_code == 302
        problems = checks.check_instance_key()
        assert [p.id for p in problems] == ["holdspace.E021"]
        assert str(key_file) in problems[0].msg
        with pytest.raises(instance.InstanceKeyError, match="is missing"):
            instance.instance_key()
    finally:
        key_file.write_bytes(kept)
        key_file.chmod(0o600)
        instance.forget()
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response["Location"] == "/login/code/"
    assert client.post("/login/code/", {"code": code_for(user)}).status_code == 302


@pytest.mark.django_db
def test_a_wrong_instance_key_fails_closed_too_S12(client: Client, user: User) -> None:
    key_file = Path(settings.VAULT_INSTANCE_KEY_FILE)
    kept = key_file.read_bytes()
    key_file.write_text(base64.b64encode(bytes(32)).decode())
    instance.forget()
    try:
        response = client.post("/login/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 503
    finally:
        key_file.write_bytes(kept)
        instance.forget()


def test_an_unreadable_text_reads_as_a_polite_placeholder() -> None:
    assert "cannot read" in str(LOCKED)
    assert "could not be decrypted" in str(DAMAGED)
