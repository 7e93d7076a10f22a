"""Rules that hold for every URL of the project (S17, S28 to S30)."""

from __future__ import annotations

import re

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings

from holdspace.accounts.models import User
from holdspace.testing import PASSWORD, database_snapshot, make_user, routes, sign_in
from holdspace.web.checks import check_view_policies

pytestmark = pytest.mark.django_db

ROUTES = routes()
# Leaving must never fail, so the quick exit works even with a stale form.
CSRF_EXEMPT_BY_DESIGN = {"hs-quick-exit"}


def test_every_view_declares_a_policy_S17() -> None:
    assert check_view_policies() == []


@override_settings(ROOT_URLCONF="holdspace.web.tests.undeclared_urls")
def test_the_system_check_catches_an_undeclared_view_S17() -> None:
    errors = [e for e in run_checks() if e.id == "holdspace.E001"]
    assert len(errors) == 1
    assert "naked/" in errors[0].msg


@override_settings(ROOT_URLCONF="holdspace.web.tests.undeclared_urls")
def test_an_undeclared_view_is_never_served_S17(client: Client) -> None:
    response = client.get("/naked/")
    assert response.status_code == 404
    assert b"served without a policy" not in response.content


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[name for name, _ in ROUTES])
def test_every_state_change_needs_a_csrf_token_S30(name: str, path: str, admin: User) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, admin)
    before = database_snapshot()
    response = client.post(path, {"username": "ada", "password": PASSWORD})
    if name in CSRF_EXEMPT_BY_DESIGN:
        assert response.status_code == 303
        return
    assert response.status_code in (403, 405), response.status_code
    if response.status_code == 403:
        assert b"This form could not be sent" in response.content
    assert database_snapshot() == before


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[name for name, _ in ROUTES])
def test_no_get_changes_anything_S30(name: str, path: str, admin: User) -> None:
    pending = Client()
    make_user("newcomer", two_factor=False)
    pending.post("/login/", {"username": "newcomer", "password": PASSWORD})
    signed_in = Client()
    sign_in(signed_in, admin)
    before = database_snapshot()
    for client in (Client(), pending, signed_in):
        client.get(path)
    assert database_snapshot() == before


_NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[name for name, _ in ROUTES])
def test_every_response_carries_the_security_headers_S28_S29(
    name: str, path: str, admin_client: Client
) -> None:
    first = admin_client.get(path)
    second = admin_client.get(path)
    for response in (first, second):
        csp = response["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        hsts = int(re.search(r"max-age=(\d+)", response["Strict-Transport-Security"]).group(1))  # type: ignore[union-attr]  # the test fails at once if nothing matches
        assert hsts >= 365 * 24 * 3600
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cache-Control"] == "no-store"
    # A page with scripts gets a fresh nonce on every response.
    nonces = [_NONCE.findall(r["Content-Security-Policy"]) for r in (first, second)]
    if b"<script" in first.content:
        assert nonces[0] and nonces[1] and nonces[0] != nonces[1]


def test_static_files_carry_the_headers_too_S28(client: Client) -> None:
    response = client.get("/static/holdspace/site.css")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_cookies_are_host_only_secure_httponly_and_strict_S29(client: Client, user: User) -> None:
    client.get("/login/")
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    client.post("/language/", {"language": "de", "next": "/login/"})
    names = {"__Host-hs-session", "__Host-hs-csrf", "__Host-hs-lang"}
    assert names <= set(client.cookies)
    for name in names:
        cookie = client.cookies[name]
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["samesite"] == "Strict"
        assert cookie["path"] == "/"
        assert not cookie["domain"]
