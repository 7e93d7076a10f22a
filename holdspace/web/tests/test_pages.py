"""Every page: neutral title, landmarks, labels, one heading, nothing inline
that the CSP would block, nothing the browser could run from user data."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from holdspace.accounts.models import User
from holdspace.testing import PASSWORD, make_user, routes, sign_in

pytestmark = pytest.mark.django_db

FOCUSABLE_FIELDS = {"input", "select", "textarea"}


class PageStructure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.inline_scripts = 0
        self._script_has_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        self.tags.append((tag, attributes))
        self._in_title = tag == "title"
        if tag == "script":
            self._script_has_src = "src" in attributes

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self.lasttag == "script" and data.strip() and not self._script_has_src:
            self.inline_scripts += 1

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.tags if name == tag]


def _pages(client: Client) -> list[tuple[str, bytes]]:
    pages = []
    for name, path in routes():
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            pages.append((name, response.content))
    return pages


@pytest.fixture(params=["anonymous", "pending", "admin"])
def client_as(request: pytest.FixtureRequest, client: Client, admin: User) -> Client:
    if request.param == "admin":
        sign_in(client, admin)
    elif request.param == "pending":
        make_user("newcomer", two_factor=False)
        client.post("/login/", {"username": "newcomer", "password": PASSWORD})
    return client


def test_every_page_is_neutral_and_well_structured(client_as: Client) -> None:
    pages = _pages(client_as)
    assert len(pages) >= 3
    for name, content in pages:
        page = PageStructure()
        page.feed(content.decode())
        assert page.title == "Holdspace", name  # never names or content in titles
        assert page.all("html")[0].get("lang") in ("en", "de"), name
        assert len(page.all("h1")) == 1, name
        assert len(page.all("main")) == 1 and page.all("main")[0]["id"] == "main", name
        assert page.all("header") and page.all("footer"), name
        labelled = {label.get("for") for label in page.all("label")}
        for tag, attributes in page.tags:
            if tag in FOCUSABLE_FIELDS and attributes.get("type") not in ("hidden", "submit"):
                assert attributes.get("id") in labelled or attributes.get("aria-label"), (
                    name,
                    attributes,
                )
            if tag == "img":
                assert attributes.get("alt"), name
            # The CSP forbids inline handlers and styles: none may be written.
            assert not any(key.startswith("on") for key in attributes), (name, tag)
            assert "style" not in attributes, (name, tag)
        assert page.inline_scripts == 0, name
        for script in page.all("script"):
            assert script["src"].startswith("/static/"), name


def test_pages_work_in_german(client: Client) -> None:
    response = client.get("/login/", headers={"accept-language": "de"})
    assert b'<html lang="de">' in response.content
    assert b"Anmelden" in response.content


def test_the_language_switch_works_without_javascript(client: Client) -> None:
    response = client.post("/language/", {"language": "de", "next": "/login/"})
    assert response["Location"] == "/login/"
    assert b"Anmelden" in client.get("/login/").content
    client.post("/language/", {"language": "en", "next": "/login/"})
    assert b"Log in" in client.get("/login/").content


def test_the_language_switch_only_goes_back_to_this_site(client: Client) -> None:
    response = client.post("/language/", {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_demo_banner_shows_on_a_demo_instance_only(client: Client) -> None:
    assert b"This is a demonstration" not in client.get("/login/").content
    make_user("demo-someone", is_demo=True)
    assert b"This is a demonstration" in client.get("/login/").content
