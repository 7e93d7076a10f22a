"""Every page names its function in its title (WCAG 2.4.2), and never a
person, a group, a process or a record: titles show in tabs and history."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Invitation
from holdspace.processes import services
from holdspace.processes.models import Note
from holdspace.testing import BUILDERS, PageStructure, World, routes
from holdspace.tests import test_matrix
from holdspace.tests.test_matrix import COMMITMENTS, MATRIX, ORACLE, PERSONAS, Browsers, _targets
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db

SUFFIX = " – Holdspace"

# The matrix's world (records of every kind) and its signed-in browsers.
matrix_world = test_matrix.matrix_world
browsers = test_matrix.browsers


def _title(content: bytes) -> str:
    page = PageStructure()
    page.feed(content.decode())
    return page.title


def _tokens(world: World) -> dict[str, list[str]]:
    """Real links for the routes that take a secret token."""
    _invitation, account = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    outsider = world.personas["outsider"]
    _reset, reset = Invitation.issue(Invitation.Kind.RESET, created_by=None, account=outsider)
    group = world.groups["contact"]
    with using(world.keyring):
        _joining, join = services.invite(
            group, by=world.personas["contact-coordinator"], role="member", note=""
        )
    return {
        "hs-invite": [account],
        "hs-reset-password": [reset],
        "hs-join": [join],
        "hs-join-account": [join],
    }


def _persona_and_args(world: World, name: str, tokens: dict[str, list[str]]) -> tuple[str, Any]:
    """The first persona who may open ``name`` on a real object, and its URL arguments."""
    entry = MATRIX[name]
    order = ["anonymous", *PERSONAS] if entry.rule == "public" else PERSONAS
    for persona in order:
        if name in tokens:
            return persona, tokens[name]
        for facts, args in _targets(world, persona, entry.target).values():
            if ORACLE[entry.rule](world, persona, facts):
                return persona, args
    raise AssertionError(f"nobody may open {name}")


def _forbidden_words(world: World) -> set[str]:
    """Everything in the world that names someone or something."""
    words = {user.username for user in world.personas.values()}
    records = COMMITMENTS["own"]
    with using(world.keyring):
        words |= {group.name for group in world.groups.values()}
        words.add(world.process.name)
        words |= {note.title for note in Note.objects.filter(process=world.process) if note.title}
        words |= {records.letter.title, records.venue.name}
    with using(BUILDERS[world.other_process.pk]):
        words |= {group.name for group in world.other_groups.values()}
        words.add(world.other_process.name)
    assert all(isinstance(word, str) and word for word in words)
    return words


def test_every_page_names_its_function_and_nothing_else(
    matrix_world: World, browsers: Browsers
) -> None:
    world = matrix_world
    tokens = _tokens(world)
    forbidden = _forbidden_words(world)
    seen: dict[str, str] = {}  # title -> the route that has it
    for name in sorted({name for name, _path in routes()}):
        if "GET" not in MATRIX[name].methods:
            continue
        persona, args = _persona_and_args(world, name, tokens)
        client = browsers.clients[persona] if persona in browsers.clients else Client()
        response = client.get(reverse(name, args=args))
        if "text/html" not in response.get("Content-Type", "") or response.status_code == 302:
            continue
        assert response.status_code == 200, (name, persona, response.status_code)
        title = _title(response.content)
        assert title.strip() and title != "Holdspace", (name, title)
        assert not any(word in title for word in forbidden), (name, title)
        assert seen.setdefault(title, name) == name, f"{name} and {seen[title]} share {title!r}"
    # Most pages answer a page of their own; a guard that checked nothing would pass.
    assert len(seen) > len(MATRIX) // 2, sorted(seen)


def test_error_pages_have_titles_of_their_own(client: Client) -> None:
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert _title(missing.content) == "Page not found" + SUFFIX


_EXTENDS = re.compile(r'{%\s*extends\s+"([^"]+)"')


def test_every_page_template_has_a_title_block() -> None:
    """Templates that extend another and that no template extends are
    pages: each names itself (the errors and the accounts' pages too)."""
    templates: dict[str, str] = {}
    for base in Path(settings.BASE_DIR).glob("**/templates"):
        for path in base.glob("**/*.html"):
            templates[str(path.relative_to(base))] = path.read_text()
    parents = {m.group(1) for text in templates.values() for m in _EXTENDS.finditer(text)}
    pages = [
        name for name, text in templates.items() if _EXTENDS.search(text) and name not in parents
    ]
    assert len(pages) > 50
    untitled = [name for name in pages if "{% block title %}" not in templates[name]]
    assert untitled == []
