"""S18: views and forms never query process data themselves; they go
through the access core (holdspace.processes.access), which scopes every
query to what the account may see."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from holdspace.processes import registry

PACKAGE = Path(__file__).resolve().parent.parent
# Apps whose models hold process data: the core, and every app that plugs
# into it (from the registry, so no app can be forgotten).
PROCESS_APPS = {"processes", "audit", *registry.apps()}
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def process_models() -> set[str]:
    names = set()
    for model in apps.get_models():
        fields = {field.name for field in model._meta.get_fields()}
        if model._meta.app_label in PROCESS_APPS or "process" in fields:
            names.add(model.__name__)
    return names


def view_and_form_modules() -> list[Path]:
    modules = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if (
            path.name in ("views.py", "forms.py")
            or "views" in parts[:-1]
            or "templatetags" in parts
        ):
            modules.append(path)
    return modules


def unscoped_queries(path: Path, models: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in models
        ):
            found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_views_and_forms_never_query_process_models_directly_S18() -> None:
    models = process_models()
    assert {"Process", "Group", "Membership", "Note", "Record", "Entry"} <= models
    assert {"Demand", "Contact", "Meeting", "Cadence"} <= models
    modules = view_and_form_modules()
    assert len(modules) >= 8
    problems = [problem for path in modules for problem in unscoped_queries(path, models)]
    assert problems == []


def test_the_lint_finds_an_unscoped_query(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text("def view(request):\n    return Note._default_manager.all()\n")
    assert unscoped_queries(bad, {"Note"}) == ["views.py:2 Note._default_manager"]
