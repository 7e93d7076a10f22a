"""S41: migrations run down and up again on a populated database."""

from __future__ import annotations

from pathlib import Path

from holdspace.testing import run_holdspace


def test_migrations_go_down_and_up_on_the_demo_S41(tmp_path: Path) -> None:
    # The test environment: the migrations are the same, and its quick key
    # derivation spares the demo's accounts half a minute of Argon2.
    env = {"HOLDSPACE_DATA_DIR": str(tmp_path), "HOLDSPACE_ENV": "test"}
    steps = [
        ["migrate", "--no-input"],
        ["demo"],
        ["migrate", "audit", "0001", "--no-input"],
        ["migrate", "processes", "zero", "--no-input"],
        ["migrate", "--no-input"],
        ["migrate", "--check"],
    ]
    for step in steps:
        result = run_holdspace(step, env)
        assert result.returncode == 0, (step, result.stderr[-2000:])
    # The accounts survived; the demo is still recognised and writes its log-ins.
    result = run_holdspace(["demo", "--credentials", str(tmp_path / "c.json")], env)
    assert result.returncode == 0 and "demo-admin" in result.stdout
