"""`holdspace prepare`: two at once wait for each other; never a demo next to
what an interrupted restore left (S39)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from holdspace.testing import run_holdspace


def _start_prepare(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "holdspace.cli", "prepare"],
        env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_prepare_runs_at_once_make_one_demo_and_neither_crashes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"HOLDSPACE_DATA_DIR": str(data), "HOLDSPACE_ENV": "test"}
    runs = [_start_prepare(env), _start_prepare(env)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (stdout, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr[-3000:]
        assert "Traceback" not in stderr
        assert "Database ready" in stdout
    said = "".join(stdout for stdout, _stderr in outputs)
    assert said.count("Demo created.") == 1
    assert "waiting for it to finish" in said  # the second one waited, and said so
    credentials = json.loads((data / "demo-credentials.json").read_text())
    assert len({row["username"] for row in credentials["accounts"]}) > 1
    again = run_holdspace(["prepare"], env)
    assert again.returncode == 0 and "Demo created" not in again.stdout


def test_prepare_refuses_while_a_restore_is_unfinished_S39(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "restore-in-progress").write_text('{"format": 1, "phase": "staging"}')
    (data / ".restore-0123456789ab.tmp").mkdir()
    env = {"HOLDSPACE_DATA_DIR": str(data), "HOLDSPACE_ENV": "test"}
    refused = run_holdspace(["prepare"], env)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "holdspace restore" in refused.stderr and "restore-in-progress" in refused.stderr
    assert not (data / "holdspace.sqlite3").exists()
    assert not (data / "demo-credentials.json").exists()
    demo = run_holdspace(["demo"], env)
    assert demo.returncode != 0 and "holdspace restore" in demo.stderr

    # Given up as the message says, everything works again.
    (data / "restore-in-progress").unlink()
    prepared = run_holdspace(["prepare"], env)
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    assert "Demo created." in prepared.stdout
    assert not (data / ".restore-0123456789ab.tmp").exists()  # garbage, cleaned up
