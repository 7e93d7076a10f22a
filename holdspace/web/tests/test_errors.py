"""Error pages are generic and leak nothing (S36); bad requests change nothing."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from holdspace.accounts.models import User
from holdspace.lib.logs import ContentFreeFormatter
from holdspace.testing import PASSWORD, database_snapshot
from holdspace.web.policy import public

pytestmark = pytest.mark.django_db

CANARY = "canary-7Hq2-exploded"


@public
def explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"something about {CANARY}")


urlpatterns = [path("explode/", explode), path("", include("holdspace.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_an_exception_shows_the_generic_500_page_S36(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/explode/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert CANARY.encode() not in response.content
    assert b"Traceback" not in response.content
    formatter = ContentFreeFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert "RuntimeError (message withheld)" in logged
    assert CANARY not in logged


def test_a_missing_page_is_a_plain_404(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"This page does not exist" in response.content
    assert b"URLconf" not in response.content  # no debug page


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_an_oversized_request_is_refused_cleanly_S43(client: Client, user: User) -> None:
    before = database_snapshot()
    response = client.post(
        "/login/", {"username": "alice", "password": PASSWORD, "filler": "x" * 20_000}
    )
    assert response.status_code == 413
    assert b"too long" in response.content and b"Nothing was saved" in response.content
    # A log-in form is nothing to show back: no password on the page.
    assert PASSWORD.encode() not in response.content
    assert database_snapshot() == before


def test_a_form_address_opened_as_a_page_explains_in_plain_words(client: Client) -> None:
    response = client.get("/exit/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "This page cannot be opened like this" in page and "Nothing was changed." in page
    assert "Leave this site now" in page
