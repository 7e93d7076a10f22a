"""CSRF with Referrer-Policy no-referrer: Sec-Fetch-Site stands in for the
Origin and Referer checks; the token is always required (S30)."""

from __future__ import annotations

import pytest
from django.test import Client

from holdspace.accounts.models import User
from holdspace.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _login_post(site: str | None, *, origin: str | None = "null", token: bool = True) -> int:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    data = {"username": "alice", "password": PASSWORD}
    if token:
        data["csrfmiddlewaretoken"] = client.cookies["__Host-hs-csrf"].value
    headers = {}
    if site is not None:
        headers["sec-fetch-site"] = site
    if origin is not None:
        headers["origin"] = origin
    return client.post("/login/", data, headers=headers, secure=True).status_code


def test_a_same_origin_form_with_origin_null_is_accepted(user: User) -> None:
    assert _login_post("same-origin") == 302


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_other_sites_are_refused_even_with_a_token(user: User, site: str) -> None:
    assert _login_post(site) == 403


def test_the_token_is_still_required(user: User) -> None:
    assert _login_post("same-origin", token=False) == 403


def test_without_fetch_metadata_django_checks_origin_and_referer(user: User) -> None:
    assert _login_post(None, origin="null") == 403
    assert _login_post(None, origin="https://testserver") == 302
    assert _login_post(None, origin=None) == 403  # HTTPS without a Referer
