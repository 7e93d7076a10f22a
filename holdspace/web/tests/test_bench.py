"""`holdspace bench` runs in a throw-away database and reports its ratios."""

from __future__ import annotations

import re
from pathlib import Path

from holdspace.testing import run_holdspace


def test_bench_reports_the_encryption_ratio(tmp_path: Path) -> None:
    result = run_holdspace(
        ["bench", "--records", "40", "--repeat", "2", "--burst", "2", "--pdf-records", "40"],
        {"HOLDSPACE_DATA_DIR": str(tmp_path)},
    )
    output = result.stdout + result.stderr
    assert "timeline: encrypted / plain" in output
    assert "log-in: unknown / known user (S24)" in output
    assert re.search(r"conclusion PDF: seconds .*\d+ rows in the chronology", output), output
    peak = re.search(r"worker: peak memory in MB +(\d+\.\d\d) .* 3 bursts of 2", output)
    assert peak is not None, output
    assert float(peak.group(1)) > 20  # a real worker was measured, not a placeholder
    # It never touched the data directory it was started with.
    assert not (tmp_path / "holdspace.sqlite3").exists()


def test_bench_refuses_to_build_data_outside_the_test_environment(tmp_path: Path) -> None:
    result = run_holdspace(["bench", "--here"], {"HOLDSPACE_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "only with HOLDSPACE_ENV=test" in result.stderr
