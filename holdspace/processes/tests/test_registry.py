"""Processes is a closed core, open to the apps that build on it (DESIGN §6):
they register their kinds of record, events, sections and demo parts, and
processes imports none of them. A toy app (holdspace/tests/toy, installed in
tests only) plugs in without any edit here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

from holdspace.processes import registry
from holdspace.processes.services import record_event
from holdspace.testing import World, client_for
from holdspace.tests.toy.models import example

PROCESSES = Path(__file__).resolve().parents[1]
TEMPLATE_PATH = re.compile(r"""["']([a-z_]+)/[\w/.-]+\.html["']""")


def imported_apps(path: Path, apps: set[str]) -> list[str]:
    """Lines of ``path`` that import one of ``apps`` (holdspace.<app>…)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "holdspace" and parts[1] in apps:
                found.append(f"{path.name}:{node.lineno} {name}")
                break
    return found


def templates_used(path: Path, apps: set[str]) -> list[str]:
    """Templates of ``apps`` that ``path`` names."""
    return [
        f"{path.name}: {match.group(0)}"
        for match in TEMPLATE_PATH.finditer(path.read_text())
        if match.group(1) in apps
    ]


def test_the_apps_that_plug_in_are_found_in_the_registry() -> None:
    assert {"commitments", "contact", "watch"} <= registry.apps()


def test_processes_imports_no_app_that_plugs_into_it() -> None:
    apps = registry.apps()
    problems = []
    for path in PROCESSES.rglob("*"):
        parts = path.relative_to(PROCESSES).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.suffix == ".py":
            problems += imported_apps(path, apps)
        if path.suffix in (".py", ".html"):
            problems += templates_used(path, apps)
    assert problems == []


def test_the_guard_finds_an_import_and_a_template(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text(
        "from holdspace.contact.views import x\nimport holdspace.watch.rules\n"
        "from holdspace import commitments\nfrom holdspace.processes import access\n"
    )
    assert len(imported_apps(module, {"contact", "watch", "commitments"})) == 3
    page = tmp_path / "page.html"
    page.write_text('{% include "contact/includes/figures.html" %}{% include "web/x.html" %}')
    assert templates_used(page, {"contact"}) == ['page.html: "contact/includes/figures.html"']


@pytest.mark.django_db
def test_a_new_kind_of_record_plugs_in_without_an_edit_in_processes(world: World) -> None:
    """The toy kind shows on the chronology (its row, its filter, its events)
    for its readers only, and its page answers like every record's."""
    toy = example(world.groups["support"], world.personas["support-member"])
    record_event(toy, "toy.poked", by=world.personas["support-member"], value="hard")
    timeline = reverse("hs-timeline", args=[world.process.pk])
    reader = client_for(world, "support-member")
    page = reader.get(timeline).content.decode()
    assert "A toy&#x27;s secret" in page and "The toy was poked hard." in page
    assert reverse("hs-toy", args=[toy.pk]) in page
    only_toys = reader.get(f"{timeline}?kind=toy").content.decode()
    assert "A toy&#x27;s secret" in only_toys and "shared note" not in only_toys
    assert reader.get(reverse("hs-toy", args=[toy.pk])).status_code == 200
    assert reader.get(reverse("hs-record", args=[toy.pk]))["Location"] == reverse(
        "hs-toy", args=[toy.pk]
    )
    other = client_for(world, "contact-member")
    elsewhere = other.get(timeline).content.decode()
    assert "A toy&#x27;s secret" not in elsewhere and "poked" not in elsewhere
    assert 'value="toy"' in elsewhere  # the filter knows the kind
    assert other.get(reverse("hs-toy", args=[toy.pk])).status_code == 404
