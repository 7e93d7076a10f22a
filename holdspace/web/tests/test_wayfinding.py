"""Every page names its function in its title (WCAG 2.4.2), and never a
person, a group, a process or a record: titles show in tabs and history."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Invitation
from holdspace.processes import registry, services
from holdspace.processes.models import Note, Party
from holdspace.processes.services import parties
from holdspace.testing import BUILDERS, PageStructure, World, routes
from holdspace.tests import test_matrix
from holdspace.tests.test_matrix import COMMITMENTS, MATRIX, ORACLE, PERSONAS, _targets
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db

SUFFIX = " – Holdspace"
RAW_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)

# The matrix's world (records of every kind), with a browser per persona.
matrix_world = test_matrix.matrix_world


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
        harmed = world.process.parties.get(role=Party.Role.HARMED)
        _link, party_link = parties.invite(
            harmed, by=world.personas["support-coordinator"], group=world.groups["support"]
        )
    return {
        "hs-invite": [account],
        "hs-reset-password": [reset],
        "hs-join": [join],
        "hs-join-account": [join],
        "hs-party-join": [party_link],
        "hs-party-join-account": [party_link],
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


class Wayfinding(HTMLParser):
    """What tells people where they are on a page: the breadcrumbs, the
    navigation inside a process, the links and buttons of the main part and
    the status tags inside headings."""

    def __init__(self) -> None:
        super().__init__()
        self.crumbs: list[str] = []  # hrefs
        self.places: list[tuple[str, str, str]] = []  # (href, aria-current, text)
        self.controls: list[tuple[str, set[str], str, str]] = []  # (tag, classes, href, text)
        self.tags_in_headings: list[str] = []
        self._nav = ""
        self._in_main = False
        self._heading = 0
        self._open: tuple[str, set[str], str, str] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        classes = set(attributes.get("class", "").split())
        if tag == "nav":
            self._nav = next((c for c in ("breadcrumbs", "process-nav") if c in classes), "")
        elif tag == "main":
            self._in_main = True
        elif tag in ("h1", "h2"):
            self._heading += 1
        elif self._heading and "tag" in classes:
            self.tags_in_headings.append(tag)
        if tag == "a" and self._nav == "breadcrumbs":
            self.crumbs.append(attributes.get("href", ""))
        if tag in ("a", "button") and (self._in_main or self._nav):
            self._open = (
                tag,
                classes,
                attributes.get("href", ""),
                attributes.get("aria-current", ""),
            )
            self._text = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav = ""
        elif tag == "main":
            self._in_main = False
        elif tag in ("h1", "h2"):
            self._heading -= 1
        elif tag in ("a", "button") and self._open is not None:
            kind, classes, href, current = self._open
            text = " ".join(self._text.split())
            if self._nav == "process-nav":
                self.places.append((href, current, text))
            elif not self._nav:
                self.controls.append((kind, classes, href, text))
            self._open = None

    def handle_data(self, data: str) -> None:
        self._text += data

    def primary(self) -> list[str]:
        """The texts of the controls styled as a primary action."""
        return [
            text
            for kind, classes, _href, text in self.controls
            if (kind == "button" or "button" in classes)
            and not classes & {"button--secondary", "link-button"}
        ]


def _read(page: Page) -> Wayfinding:
    found = Wayfinding()
    found.feed(page.html)
    return found


@dataclass(frozen=True)
class Page:
    name: str  # the route's name
    path: str
    persona: str
    status: int
    html: str


@pytest.fixture(scope="module")
def pages(matrix_world: World) -> dict[str, Page]:
    """Every routed page a browser can GET, opened once by the first persona
    who may, on a real object (non-HTML answers and redirects left out)."""
    world, clients = matrix_world, test_matrix.BROWSERS[0].clients
    tokens = _tokens(world)
    found = {}
    for name in sorted({name for name, _path in routes()}):
        if "GET" not in MATRIX[name].methods:
            continue
        persona, args = _persona_and_args(world, name, tokens)
        path = reverse(name, args=args)
        response = clients.get(persona, Client()).get(path)
        if "text/html" in response.get("Content-Type", "") and response.status_code != 302:
            found[name] = Page(name, path, persona, response.status_code, response.content.decode())
    # Most pages answer a page of their own; a guard that checked nothing would pass.
    assert len(found) > len(MATRIX) // 2, sorted(found)
    return found


def test_every_page_names_its_function_and_nothing_else(
    matrix_world: World, pages: dict[str, Page]
) -> None:
    forbidden = _forbidden_words(matrix_world)
    seen: dict[str, str] = {}  # title -> the route that has it
    for name, page in pages.items():
        assert page.status == 200, (name, page.persona, page.status)
        title = _title(page.html.encode())
        assert title.strip() and title != "Holdspace", (name, title)
        # Nothing but words in the title: the browser would show markup as text.
        raw = RAW_TITLE.search(page.html)
        assert raw is not None and "<" not in raw.group(1), (name, raw and raw.group(1))
        assert not any(word in title for word in forbidden), (name, title)
        assert seen.setdefault(title, name) == name, f"{name} and {seen[title]} share {title!r}"


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


def _inside(world: World, pages: dict[str, Page]) -> dict[str, Wayfinding]:
    """The pages inside the world's process: their breadcrumbs lead through it."""
    process_url = reverse("hs-process", args=[world.process.pk])
    found = {name: _read(page) for name, page in pages.items()}
    inside = {name: page for name, page in found.items() if process_url in page.crumbs}
    assert len(inside) > 30, sorted(inside)
    return inside


def test_every_page_inside_a_process_has_its_navigation(
    matrix_world: World, pages: dict[str, Page]
) -> None:
    expected = [
        reverse(link.url_name, args=[matrix_world.process.pk])
        + (f"#{link.anchor}" if link.anchor else "")
        for link in registry.process_nav()
    ]
    assert len(expected) >= 5  # overview, contact, demands, chronology, groups
    inside, marked = _inside(matrix_world, pages), 0
    for name, page in inside.items():
        assert [href for href, _current, _text in page.places] == expected, name
        current = [href for href, current, _text in page.places if current]
        assert len(current) <= 1, (name, current)
        marked += len(current)
        assert all(current == "page" for _href, current, _text in page.places if current)
        # A place's own page is marked as the current one.
        if pages[name].path in expected:
            assert current == [pages[name].path], name
    # Nearly every page says which part of the process it belongs to.
    assert marked >= len(inside) * 0.9, marked


def test_the_navigation_is_built_from_what_apps_register(
    matrix_world: World, pages: dict[str, Page], monkeypatch: pytest.MonkeyPatch
) -> None:
    link = registry.NavLink("extra", "A new part", "hs-cadence", order=55, app="toy")
    monkeypatch.setitem(registry.NAV, "extra", link)
    page = pages["hs-process"]
    found = _read(
        Page(
            "",
            "",
            "",
            200,
            test_matrix.BROWSERS[0].clients[page.persona].get(page.path).content.decode(),
        )
    )
    texts = [text for _href, _current, text in found.places]
    assert texts.index("Contact and meetings") < texts.index("A new part")
    assert texts.index("A new part") < texts.index("Demands and agreements")


def test_back_and_cancel_go_where_the_breadcrumb_ends(
    matrix_world: World, pages: dict[str, Page]
) -> None:
    checked = 0
    for name, page in _inside(matrix_world, pages).items():
        for _kind, _classes, href, text in page.controls:
            if text == "Cancel" or text.startswith("Back"):
                assert href == page.crumbs[-1], (name, text, href, page.crumbs)
                checked += 1
    assert checked > 30


def test_each_page_has_one_primary_action_at_most(pages: dict[str, Page]) -> None:
    for name, page in pages.items():
        assert len(_read(page).primary()) <= 1, (name, _read(page).primary())


def test_status_tags_stay_out_of_headings(pages: dict[str, Page]) -> None:
    for name, page in pages.items():
        assert _read(page).tags_in_headings == [], name
