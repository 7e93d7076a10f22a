"""The safety page, and what the log-in page shows to someone not signed in
(S33): no purpose, no path in the address."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from holdspace.accounts.models import User
from holdspace.testing import PASSWORD, code_for, enrolment_code, log_in_through_forms, make_user

pytestmark = pytest.mark.django_db

PURPOSE = "accountability"


def test_it_says_what_the_quick_exit_does_and_cannot_do(client: Client) -> None:
    page = client.get("/safety/").content.decode()
    assert "Leave this site now" in page and "Shift key three times" in page
    assert "cannot erase your browser history" in page
    assert "private window" in page
    assert PURPOSE not in page
    assert 'href="/login/"' in page


def test_the_log_in_page_links_to_it_and_does_not_say_what_the_site_is_for(
    client: Client,
) -> None:
    page = client.get("/login/").content.decode()
    assert 'href="/safety/"' in page
    assert PURPOSE not in page


def test_signed_in_pages_say_what_the_site_is_for(signed_in: Client) -> None:
    assert PURPOSE in signed_in.get("/account/").content.decode()


def test_a_page_asked_for_without_a_session_leads_to_a_bare_log_in_S33(
    client: Client, user: User
) -> None:
    response = client.get("/account/")
    assert response["Location"] == "/login/"
    # Nothing was kept for a browser without a session (as after a quick exit).
    log_in_through_forms(client, user)
    assert client.get("/login/code/").status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_a_session_that_ran_out_continues_where_it_was_without_a_path_in_the_address(
    client: Client, user: User
) -> None:
    with time_machine.travel("2026-11-22 09:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        traveller.shift(31 * 60)
        response = client.get("/account/")
        assert response["Location"] == "/login/"
        client.post("/login/", {"username": user.username, "password": PASSWORD})
        response = client.post("/login/code/", {"code": code_for(user)})
    assert response["Location"] == "/account/"


def test_the_first_log_in_shows_it_once_then_continues(client: Client) -> None:
    make_user("newcomer", two_factor=False)
    with time_machine.travel("2026-11-22 09:00:00", tick=False) as traveller:
        client.post("/login/", {"username": "newcomer", "password": PASSWORD})
        client.get("/login/setup/")
        code = enrolment_code(client)
        assert client.post("/login/setup/", {"code": code})["Location"] == (
            "/account/backup-codes/"
        )
        # The test account has its recovery key already: the safety page is next.
        assert b'href="/safety/"' in client.get("/account/backup-codes/").content
        page = client.get("/safety/").content.decode()
        assert "Staying safe" in page and 'href="/dashboard/"' in page
        client.post("/logout/")
        traveller.shift(60)  # the next log-in, with the app's next code
        user = User.objects.get(username="newcomer")
        client.post("/login/", {"username": "newcomer", "password": PASSWORD})
        assert client.post("/login/code/", {"code": code_for(user)})["Location"] == "/dashboard/"
