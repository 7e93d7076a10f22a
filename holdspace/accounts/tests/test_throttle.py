"""S50: a global log-in limit per network slows a flood across many usernames,
without hashing a password for it and without locking any real person out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.test import Client, override_settings

from holdspace.accounts import throttle
from holdspace.accounts.models import NetworkLoginFailures, User
from holdspace.testing import PASSWORD, RECOVERY_KEYS, database_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("user")]

BUSY = b"Too many attempts from your network. Please wait a minute and try again."
LIMIT = 5


@pytest.fixture(autouse=True)
def small_limit() -> Iterator[None]:
    with override_settings(NETWORK_LOGIN_LIMIT=LIMIT):
        yield


def _log_in(address: str, username: str = "alice", password: str = PASSWORD) -> object:
    return Client().post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _flood(address: str, count: int = LIMIT) -> None:
    for number in range(count):
        _log_in(address, username=f"guess-{number}", password="wrong password")


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Argon2id run (password checks and hashes of unknown names)."""
    calls: list[str] = []
    original_verify, original_encode = Argon2PasswordHasher.verify, Argon2PasswordHasher.encode

    def verify(self: Argon2PasswordHasher, password: str, encoded: str) -> bool:
        calls.append("verify")
        return original_verify(self, password, encoded)

    def encode(self: Argon2PasswordHasher, password: str, salt: str) -> str:
        calls.append("encode")
        return original_encode(self, password, salt)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", verify)
    monkeypatch.setattr(Argon2PasswordHasher, "encode", encode)
    return calls


def test_a_flood_across_usernames_is_asked_to_wait_without_hashing_S50(
    hashing: list[str],
) -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        _flood("203.0.113.7")
        hashing.clear()
        response = _log_in("203.0.113.7")  # even with the right password
    assert response.status_code == 429  # type: ignore[attr-defined]  # the test client's response type is partial in django-stubs
    assert BUSY in response.content  # type: ignore[attr-defined]  # the test client's response type is partial in django-stubs
    assert 1 <= int(response["Retry-After"]) <= 120  # type: ignore[index]  # the test client's response type is partial in django-stubs
    assert hashing == []


def test_the_limit_never_locks_the_account_out_elsewhere_S50() -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        _flood("203.0.113.7", count=3 * LIMIT)
        response = _log_in("198.51.100.20")
    assert response["Location"] == "/login/code/"  # type: ignore[index]  # the test client's response type is partial in django-stubs


def test_the_limit_passes_by_itself_S50() -> None:
    with time_machine.travel("2026-11-22 10:00:30", tick=False) as traveller:
        _flood("203.0.113.7")
        assert _log_in("203.0.113.7").status_code == 429  # type: ignore[attr-defined]  # the test client's response type is partial in django-stubs
        traveller.shift(95)
        response = _log_in("203.0.113.7")
    assert response["Location"] == "/login/code/"  # type: ignore[index]  # the test client's response type is partial in django-stubs


def test_fewer_failures_than_the_limit_change_nothing_S50() -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        _flood("203.0.113.7", count=LIMIT - 1)
        response = _log_in("203.0.113.7")
    assert response["Location"] == "/login/code/"  # type: ignore[index]  # the test client's response type is partial in django-stubs


def test_an_ipv6_network_counts_as_one_per_64_S50() -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        for number in range(LIMIT):
            _log_in(f"2001:db8:7:1::{number + 1:x}", f"guess-{number}", "wrong password")
        same = _log_in("2001:db8:7:1:ffff::9")
        other = _log_in("2001:db8:7:2::1")
    assert same.status_code == 429  # type: ignore[attr-defined]  # the test client's response type is partial in django-stubs
    assert other["Location"] == "/login/code/"  # type: ignore[index]  # the test client's response type is partial in django-stubs


def test_the_recovery_form_counts_and_waits_too_S50(user: User) -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        _flood("203.0.113.7")
        before = database_snapshot()
        response = Client().post(
            "/forgot/recovery/",
            {
                "username": "alice",
                "recovery_key": RECOVERY_KEYS[user.pk],
                "new_password": "a fresh lantern by the sea",
                "new_password_again": "a fresh lantern by the sea",
            },
            REMOTE_ADDR="203.0.113.7",
        )
    assert response.status_code == 429
    assert BUSY in response.content
    assert database_snapshot() == before


def test_networks_are_stored_only_as_keyed_digests_S50() -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        _flood("203.0.113.7", count=2)
    networks = list(NetworkLoginFailures.objects.values_list("network", "count"))
    assert len(networks) == 1 and networks[0][1] == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_networkloginfailures")
        assert "203.0.113" not in repr(cursor.fetchall())


def test_old_counts_are_deleted_as_new_ones_come_S50() -> None:
    with time_machine.travel("2026-11-22 10:00:00", tick=False) as traveller:
        _flood("203.0.113.7", count=2)
        traveller.shift(3 * 60)
        _flood("198.51.100.20", count=1)
    assert NetworkLoginFailures.objects.count() == 1


def test_a_limit_of_zero_turns_it_off_S50() -> None:
    with override_settings(NETWORK_LOGIN_LIMIT=0):
        _flood("203.0.113.7", count=2 * LIMIT)
        assert _log_in("203.0.113.7")["Location"] == "/login/code/"  # type: ignore[index]  # the test client's response type is partial in django-stubs
    assert not NetworkLoginFailures.objects.exists()


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:7:1:aaaa:bbbb:cccc:dddd", "2001:db8:7:1::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("not an address", "unknown"),
        ("", "unknown"),
    ],
)
def test_addresses_count_for_their_network_S50(address: str, network: str) -> None:
    assert throttle.network_of(address) == network
