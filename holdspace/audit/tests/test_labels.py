"""Every action a process's audit log can show has words for it: the log page
never shows a bare code to coordinators."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

from holdspace.audit.labels import ACTIONS
from holdspace.processes import registry
from holdspace.processes.models import Record

# The core and every app that plugs into it (from the registry).
PROCESS_APPS = ("processes", *sorted(registry.apps()))
# What an action code starts with: the core's words, every registered kind
# of record and every app that plugs in (so a new app's codes are found).
CORE = ["evidence", "rota", "record", "process", "party", "group", "group_invitation"]
CORE += ["responsibility", "membership", "keys"]
PREFIXES = sorted({*CORE, *registry.KINDS, *registry.apps()}, key=lambda p: (-len(p), p))
ACTION = re.compile(rf"({'|'.join(map(re.escape, PREFIXES))})\.[a-z_]+")


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
    writing = set()  # the apps that write: their kinds can be edited
    for app in PROCESS_APPS:
        root = Path(apps.get_app_config(app).path)
        # services.py, or a services package of several modules
        for services in [root / "services.py", *(root / "services").glob("*.py")]:
            if services.exists():
                codes |= _codes_in(services)
                writing.add(app)
    # Edits are logged as "<kind>.edited" for every kind that can be edited.
    codes |= {
        f"{kind.name}.edited"
        for kind in registry.KINDS.values()
        if kind.name != Record.Kind.EVENT and kind.app in writing and kind.editable
    }
    assert len(codes) > 40
    assert codes - set(ACTIONS) == set()


def test_the_search_finds_codes(tmp_path: Path) -> None:
    module = tmp_path / "services.py"
    module.write_text('log("demand.created" if x else "demand.dropped")\nname = "not a code"\n')
    assert _codes_in(module) == {"demand.created", "demand.dropped"}
