"""Settings come from the environment, strictly; secrets never leak (S34)."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from holdspace.lib import env
from holdspace.testing import run_holdspace

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("HOLDSPACE_DEBUG", "maybe"),
        ("HOLDSPACE_ENV", "staging"),
        ("HOLDSPACE_TIME_ZONE", "Mars/Olympus"),
        ("DATABASE_URL", "mysql://db/holdspace"),
        ("HOLDSPACE_QUICK_EXIT_URL", "javascript:alert(1)"),
        ("HOLDSPACE_WORKERS", "0"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(
    tmp_path: Path, name: str, value: str
) -> None:
    result = run_holdspace(["django-check"], {"HOLDSPACE_DATA_DIR": str(tmp_path), name: value})
    assert result.returncode == 2
    assert f"configuration error: {name}" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_embedded_default_generates_a_private_secret_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_holdspace(["django-check"], {"HOLDSPACE_DATA_DIR": str(data)}).returncode == 0
    secret = data / "secret_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    first = secret.read_text()
    assert run_holdspace(["django-check"], {"HOLDSPACE_DATA_DIR": str(data)}).returncode == 0
    assert secret.read_text() == first


def test_the_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_holdspace(["migrate"], {"HOLDSPACE_DATA_DIR": str(data)}).returncode == 0
    assert stat.S_IMODE((data / "holdspace.sqlite3").stat().st_mode) == 0o600


def test_secrets_can_come_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "key"
    secret_file.write_text("from-a-file-" + "x" * 50 + "\n")
    assert (
        env.secret(
            "HOLDSPACE_SECRET_KEY",
            generate_into=None,
            environ={"HOLDSPACE_SECRET_KEY_FILE": str(secret_file)},
        )
        == "from-a-file-" + "x" * 50
    )


def test_a_secret_set_twice_or_unreadable_is_refused(tmp_path: Path) -> None:
    with pytest.raises(env.EnvError, match="not both"):
        env.secret(
            "HOLDSPACE_SECRET_KEY",
            generate_into=None,
            environ={"HOLDSPACE_SECRET_KEY": "a", "HOLDSPACE_SECRET_KEY_FILE": "/x"},
        )
    with pytest.raises(env.EnvError, match="HOLDSPACE_SECRET_KEY_FILE: cannot read"):
        env.secret(
            "HOLDSPACE_SECRET_KEY",
            generate_into=None,
            environ={"HOLDSPACE_SECRET_KEY_FILE": str(tmp_path / "missing")},
        )


@pytest.mark.parametrize(
    ("raw", "expected"), [("yes", True), ("OFF", False), ("1", True), ("false", False)]
)
def test_booleans_are_read_strictly(raw: str, expected: bool) -> None:
    assert env.boolean("X", False, environ={"X": raw}) is expected


def test_numbers_are_checked_against_their_range() -> None:
    assert env.integer("N", 1, minimum=1, maximum=5, environ={"N": "5"}) == 5
    with pytest.raises(env.EnvError, match="N: must be at most 5"):
        env.integer("N", 1, minimum=1, maximum=5, environ={"N": "6"})


def _documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_every_variable_is_documented_in_env_example() -> None:
    import holdspace.settings  # noqa: F401  (reads every variable)

    read = set(env.READ)
    assert read - _documented() == set(), "undocumented variables"
    assert _documented() - read == set(), "documented but never read"
