"""`holdspace prepare` and `holdspace serve`: what `make run` does, for real."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from holdspace.testing import run_holdspace
from holdspace.web.bench import free_port, wait_for_page


def test_prepare_then_serve_shows_the_login_page(tmp_path: Path) -> None:
    env = {"HOLDSPACE_DATA_DIR": str(tmp_path / "data"), "PORT": str(free_port())}
    prepared = run_holdspace(["prepare"], env)
    assert prepared.returncode == 0, prepared.stderr
    credentials = json.loads((tmp_path / "data" / "demo-credentials.json").read_text())
    assert all(row["username"] in prepared.stdout for row in credentials["accounts"])
    # A second run finds the demo and does not create another.
    again = run_holdspace(["prepare"], env)
    assert again.returncode == 0 and "Demo created" not in again.stdout

    # The server's output goes to a file: a pipe nobody reads could fill up
    # and block the server.
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "holdspace.cli", "serve"],
            env={"PATH": os.environ["PATH"], **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        page = wait_for_page(f"http://127.0.0.1:{env['PORT']}/login/")
        assert b"<h1>Log in</h1>" in page
        assert b"This is a demonstration" in page
    finally:
        # As Ctrl+C or systemd would: the whole process group is told to stop.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            raise AssertionError("the server did not stop:\n" + log.read_text()) from None
