"""Password rules (S21): Argon2id, at least 8, long ones welcome, no common or
breached ones, no composition rules."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from holdspace.accounts import passwords
from holdspace.accounts.models import User


def _problems(password: str) -> list[str]:
    try:
        validate_password(password, User(username="alice"))
    except ValidationError as error:
        return [e.code or "" for e in error.error_list]
    return []


def test_eight_characters_are_enough_and_seven_are_not_S21() -> None:
    assert _problems("k7#mQ2vz") == []
    assert "password_too_short" in _problems("k7#mQ2v")


def test_long_passphrases_are_accepted_S21() -> None:
    assert _problems("a quiet river under the old stone bridge at dawn " * 2) == []
    assert _problems("x" * 63 + "yz" + "w" * 200) == []


def test_there_are_no_composition_rules_S21() -> None:
    # Only lowercase letters and spaces, no digits or symbols: fine.
    assert _problems("lantern meadow copper violin") == []
    # Only digits, if long and not common: fine as well.
    assert _problems("9081726354019283") == []


def test_common_passwords_are_refused_S21() -> None:
    assert "password_too_common" in _problems("password123")
    assert "password_too_common" in _problems("iloveyou")


def test_passwords_like_the_username_are_refused() -> None:
    assert "password_too_similar" in _problems("alice1234")


def test_breached_passwords_are_refused_when_the_check_is_on_S21(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    breached = "tortoise anchor 1987"
    digest = hashlib.sha1(breached.encode()).hexdigest().upper()  # noqa: S324
    asked: list[str] = []

    def fake_range(prefix: str) -> str:
        asked.append(prefix)
        return f"0000000000000000000000000000000000A:3\r\n{digest[5:]}:17\r\n"

    monkeypatch.setattr(passwords, "fetch_range", fake_range)
    with override_settings(BREACH_CHECK=True):
        assert "password_breached" in _problems(breached)
        assert _problems("quite another phrase 2026") == []
    # Only the first five characters of the hash ever leave the server.
    assert asked[0] == digest[:5]
    assert all(len(prefix) == 5 for prefix in asked)


def test_an_unreachable_breach_service_does_not_block_anyone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def down(prefix: str) -> str:
        raise OSError("network unreachable")

    monkeypatch.setattr(passwords, "fetch_range", down)
    with override_settings(BREACH_CHECK=True):
        assert _problems("lantern meadow copper violin") == []


def test_production_hashes_passwords_with_argon2id_S21(tmp_path: object) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "HOLDSPACE_ENV": "production",
        "HOLDSPACE_SECRET_KEY": "k" * 60,
        "HOLDSPACE_ALLOWED_HOSTS": "holdspace.example.org",
        "HOLDSPACE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "holdspace.settings",
    }
    script = (
        "import django, json; django.setup();"
        "from django.contrib.auth.hashers import make_password, get_hashers;"
        "h = get_hashers()[0];"
        "print(json.dumps([make_password('x' * 10), h.memory_cost, h.time_cost]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    encoded, memory, passes = json.loads(result.stdout)
    assert encoded.startswith("argon2$argon2id$")
    assert memory >= 64 * 1024 and passes >= 2
