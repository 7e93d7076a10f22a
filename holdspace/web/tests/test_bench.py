"""`holdspace bench` runs in a throw-away database and reports its ratios."""

from __future__ import annotations

from pathlib import Path

from holdspace.testing import run_holdspace


def test_bench_reports_the_encryption_ratio(tmp_path: Path) -> None:
    result = run_holdspace(
        ["bench", "--records", "40", "--repeat", "2"], {"HOLDSPACE_DATA_DIR": str(tmp_path)}
    )
    output = result.stdout + result.stderr
    assert "timeline: encrypted / plain" in output
    assert "log-in: unknown / known user (S24)" in output
    # It never touched the data directory it was started with.
    assert not (tmp_path / "holdspace.sqlite3").exists()


def test_bench_refuses_to_build_data_outside_the_test_environment(tmp_path: Path) -> None:
    result = run_holdspace(["bench", "--here"], {"HOLDSPACE_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "only with HOLDSPACE_ENV=test" in result.stderr
