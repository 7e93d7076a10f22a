"""Every action a process's audit log can show has words for it: the log page
never shows a bare code to coordinators."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from holdspace.audit.labels import ACTIONS
from holdspace.processes.models import Record

PACKAGE = Path(__file__).resolve().parents[2]
PROCESS_APPS = ("processes", "commitments", "contact", "watch")
ACTION = re.compile(
    r"(letter|demand|step|evidence|agreement|rota|contact|meeting|report|note|record|process"
    r"|party|group|group_invitation|responsibility|membership|keys)\.[a-z_]+"
)


def _codes_in(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and ACTION.fullmatch(node.value)
    }


def test_every_process_action_has_a_label() -> None:
    codes: set[str] = set()
    for app in PROCESS_APPS:
        codes |= _codes_in(PACKAGE / app / "services.py")
    # Edits are logged as "<kind>.edited" for every kind that can be edited.
    codes |= {f"{kind}.edited" for kind in Record.Kind.values if kind != Record.Kind.EVENT}
    assert len(codes) > 40
    assert codes - set(ACTIONS) == set()


def test_the_search_finds_codes(tmp_path: Path) -> None:
    module = tmp_path / "services.py"
    module.write_text('log("demand.created" if x else "demand.dropped")\nname = "not a code"\n')
    assert _codes_in(module) == {"demand.created", "demand.dropped"}
