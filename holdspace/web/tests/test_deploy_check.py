"""`holdspace check`: the production deploy checks (S34)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from holdspace.testing import production_env, run_holdspace
from holdspace.web import checks


def test_it_passes_with_production_settings_S34(tmp_path: Path) -> None:
    result = run_holdspace(["check"], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "All deploy checks passed" in result.stdout


def test_production_refuses_to_start_with_debug_on_S34(tmp_path: Path) -> None:
    result = run_holdspace(["check"], production_env(tmp_path, HOLDSPACE_DEBUG="on"))
    assert result.returncode == 2
    assert "HOLDSPACE_DEBUG" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["HOLDSPACE_SECRET_KEY_FILE"]
    result = run_holdspace(["check"], env)
    assert result.returncode == 2
    assert "HOLDSPACE_SECRET_KEY: missing" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_test_speed_hashing_S5(tmp_path: Path) -> None:
    result = run_holdspace(["check"], production_env(tmp_path, HOLDSPACE_PASSWORD_HASHING="fast"))
    assert result.returncode == 2
    assert "HOLDSPACE_PASSWORD_HASHING" in result.stderr


def test_it_fails_when_debug_is_on_S34() -> None:
    with override_settings(DEBUG=True):
        ids = {m.id for m in checks.check_debug_and_environment()}
    assert "holdspace.E011" in ids


def test_it_fails_when_the_csp_middleware_is_removed_S34() -> None:
    middleware = [m for m in settings.MIDDLEWARE if "csp" not in m]
    with override_settings(MIDDLEWARE=middleware):
        assert [m.id for m in checks.check_csp()] == ["holdspace.E010"]


@pytest.mark.parametrize(
    ("directive", "value"),
    [("script-src", ["'self'", "'unsafe-inline'"]), ("object-src", ["'self'"])],
)
def test_it_fails_on_a_weakened_csp_S34(directive: str, value: list[str]) -> None:
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], directive: value}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert [m.id for m in checks.check_csp()] == ["holdspace.E010"]


def test_it_flags_test_speed_password_hashing_S5() -> None:
    # The test suite itself runs with the fast hasher.
    assert [m.id for m in checks.check_password_hashing()] == ["holdspace.E013"]


def test_it_flags_weak_cookies_S34() -> None:
    with override_settings(SESSION_COOKIE_NAME="sessionid"):
        assert [m.id for m in checks.check_cookies()] == ["holdspace.E015"]


def test_it_flags_disabled_code_throttling_S34() -> None:
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=0):
        assert [m.id for m in checks.check_two_factor()] == ["holdspace.E014"]


def test_it_fails_without_csrf_protection_S34() -> None:
    middleware = [m for m in settings.MIDDLEWARE if "csrf" not in m]
    with override_settings(MIDDLEWARE=middleware):
        assert [m.id for m in checks.check_csrf()] == ["holdspace.E016"]
