"""Quick exit over plain HTTP (S33); the browser tests drive it for real."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.html import parse_html

from holdspace.accounts.models import Session, User
from holdspace.testing import routes, sign_in

pytestmark = pytest.mark.django_db

NEUTRAL = "https://www.wikipedia.org/"


def test_it_ends_the_session_and_leaves_S33(signed_in: Client) -> None:
    key = signed_in.session.session_key
    response = signed_in.post("/exit/")
    assert response.status_code == 303
    assert response["Location"] == NEUTRAL
    assert response["Clear-Site-Data"] == '"cookies", "storage"'
    assert not Session.objects.filter(session_key=key).exists()
    back = signed_in.get("/dashboard/")
    assert back.status_code == 302 and back["Location"].startswith("/login/")


def test_it_works_without_a_valid_form_token_S33(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, user)
    key = client.session.session_key
    response = client.post("/exit/", {"csrfmiddlewaretoken": "stale"})
    assert response.status_code == 303
    assert response["Location"] == NEUTRAL
    assert not Session.objects.filter(session_key=key).exists()


def test_it_is_never_done_by_a_plain_get_S30(signed_in: Client) -> None:
    assert signed_in.get("/exit/").status_code == 405
    assert signed_in.get("/dashboard/").status_code == 200


def _first_focusable(content: bytes) -> object:
    body = parse_html(content.decode())
    stack = list(body.children)
    while stack:
        node = stack.pop(0)
        if isinstance(node, str):
            continue
        if node.name in ("a", "button", "input", "select", "textarea") and not (
            node.name == "input" and dict(node.attributes).get("type") == "hidden"
        ):
            return node
        stack[0:0] = list(node.children)
    return None


@pytest.mark.parametrize(("name", "path"), routes())
def test_the_quick_exit_comes_first_on_every_page_S33(
    name: str, path: str, client: Client, admin: User
) -> None:
    if name != "hs-login":
        sign_in(client, admin)
    response = client.get(path, follow=True)
    if "html" not in response["Content-Type"] or response.status_code == 405:
        return
    first = _first_focusable(response.content)
    assert first is not None
    assert first.name == "button"  # type: ignore[attr-defined]  # the test client's response type is partial in django-stubs
    assert "quick-exit__button" in dict(first.attributes)["class"]  # type: ignore[attr-defined]  # the test client's response type is partial in django-stubs
