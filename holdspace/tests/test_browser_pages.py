"""Every page of the demo, as every demo role, in real Chromium (issue 12):
each has a title of its own that names no one, fits a 320 px screen, and
axe-core finds no WCAG 2.2 A or AA violation at 390 px and at 1280 px."""

from __future__ import annotations

import hashlib
import os
import re
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT  # type: ignore[import-untyped]  # ships no types
from django.core.management import call_command
from django.urls import Resolver404, resolve

from holdspace.demo import builder
from holdspace.processes import demo as process_demo
from holdspace.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
NARROWEST = 320
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
# Not pages: what ends the session or leaves the site, files and feeds.
# Not pages: files (downloads start instead of a page), and what ends the
# session or leaves the site.
SKIP = re.compile(r"^/(static/|logout/|exit/|healthz|calendar/|language/)|\.svg$|/download/")
# A ceiling, so that a bug making links without end fails instead of hanging.
MOST_PAGES = 200
# The shape of a page: the kinds of element on it, with their classes, roles
# and states, but not its text nor how many of each. At 390 px axe runs once
# per route and shape in a run of the suite (a page another role saw in the
# same shape was checked then, perhaps by another test process); at 1280 px
# once per route.
VARYING = ["href", "action", "value", "nonce", "id", "for", "name", "content", "datetime"]
VARYING += ["aria-labelledby", "aria-describedby", "aria-controls", "transform", "x", "y"]
VARYING += ["x1", "x2", "width"]
SHAPE = """varying => [...new Set([...document.querySelectorAll("*")].map(element =>
    [element.tagName, ...[...element.attributes].filter(a => !varying.includes(a.name))
        .map(a => a.name + "=" + a.value)].join(" ")))].sort().join("\\n")"""


class Checked:
    """What axe has checked in this run, shared by the test processes: the
    first to claim a page's route, shape and width checks it (a file created
    exclusively), the others skip it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(exist_ok=True)

    def claim(self, key: tuple[str, str, int]) -> bool:
        name = hashlib.sha256(repr(key).encode()).hexdigest()
        try:
            (self.folder / name).touch(exist_ok=False)
        except FileExistsError:
            return False
        return True


@pytest.fixture(scope="session")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    # With pytest-xdist each process has a folder of its own; their parent is shared.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return Checked(shared / "axe-checked")


# Names from the demo's data that no title may carry.
NAMES = re.compile(
    "|".join(
        [r"Juniper", r"demo-", r"(?<![\w.])[KM]\."]
        + [re.escape(note[4]) for note in process_demo.NOTES]
    )
)


def _route(path: str) -> str | None:
    """The URL pattern a path belongs to: one visit per pattern keeps the
    test fast (a filter, a page number or a starter shows the same page)."""
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


def _log_in(page: Any, base: str, row: dict[str, str]) -> None:
    code = builder.current_code(row["username"])
    # The two people the process is about land on their own pages.
    landing = PARTY_HOMES.get(row["username"], "/dashboard/")
    log_in(page, base, row["username"], row["password"], code, landing=landing)


PARTY_HOMES = {"demo-portal": "/portal/", "demo-survivor": "/survivor/"}


def _links(page: Any, base: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        if href.startswith(base + "/"):
            parts = urlsplit(href)
            paths.append(parts.path + ("?" + parts.query if parts.query else ""))
    return paths


def _check(page: Any, route: str, path: str, checked: Checked) -> list[str]:
    """What a person on this page would run into, one line each."""
    problems = []
    title = page.title().strip()
    if not title or title == "Holdspace":
        problems.append(f"{path}: the title does not say what the page is for ({title!r})")
    if NAMES.search(title):
        problems.append(f"{path}: the title carries a name from the data ({title!r})")
    shape = hashlib.sha256(page.evaluate(SHAPE, VARYING).encode()).hexdigest()
    for width in WIDTHS:
        # Every shape of a page on a phone; on a desktop, each page once (the
        # same elements there differ only in their layout, which one visit shows).
        if not checked.claim((route, shape if width < WIDTHS[0] else "", width)):
            continue
        page.set_viewport_size({"width": width, "height": 900})
        if not page.evaluate("() => 'axe' in window"):
            page.evaluate(AXE_SCRIPT)
        violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in violations["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:3]
            problems.append(f"{path} at {width}px: axe {violation['id']}: {targets}")
    page.set_viewport_size({"width": NARROWEST, "height": 900})
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > NARROWEST:
        culprit = page.evaluate(
            """limit => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit)
                .slice(-3).map(e => e.tagName.toLowerCase() + '.' + e.className)""",
            NARROWEST,
        )
        problems.append(f"{path}: {wide}px wide at {NARROWEST}px ({culprit})")
    return problems


@pytest.mark.parametrize("account", builder.ACCOUNTS, ids=lambda account: account.role)
def test_every_page_is_titled_fits_a_phone_and_passes_axe(
    account: builder.DemoAccount, browser: Any, live_server: Any, checked: Checked
) -> None:
    call_command("demo")
    row = next(row for row in builder.credentials() if row["username"] == account.username)
    base = live_server.url
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    _log_in(page, base, row)
    problems: list[str] = []
    titles: dict[str, str] = {}
    visited: set[str] = set()
    queue = deque(["/dashboard/"])
    while queue:
        path = queue.popleft()
        route = _route(path)
        if SKIP.search(path) or route is None or route in visited:
            continue
        visited.add(route)
        assert len(visited) < MOST_PAGES, "the crawl does not end"
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(base + path)
        if response is None or response.status != 200:
            problems.append(f"{path}: status {response and response.status}")
            continue
        # A redirect lands on a page of its own, checked once under its own pattern.
        landed = urlsplit(page.url)
        if landed.path != urlsplit(path).path:
            path = landed.path + ("?" + landed.query if landed.query else "")
            route = _route(path)
            if route is None or route in visited:
                continue
            visited.add(route)
        problems += _check(page, route, path, checked)
        title = page.title()
        if titles.setdefault(title, route) != route:
            problems.append(f"{path}: the same title as {titles[title]} ({title!r})")
        queue.extend(_links(page, base))
    context.close()
    assert len(visited) > 2, visited  # the crawl went past the overview
    assert not problems, "\n".join(problems)
