"""Every page: neutral title, landmarks, labels, one heading, nothing inline
that the CSP would block, nothing the browser could run from user data."""

from __future__ import annotations

import pytest
from django.test import Client

from holdspace.accounts.models import User
from holdspace.testing import PASSWORD, assert_well_structured, make_user, routes, sign_in

pytestmark = pytest.mark.django_db


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
        assert_well_structured(name, content)


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
