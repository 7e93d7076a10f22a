"""Sessions end after 30 minutes idle and after 12 hours in all (S25)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from holdspace.accounts.models import User
from holdspace.testing import log_in_through_forms

pytestmark = pytest.mark.django_db


def test_activity_keeps_the_session_alive(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 09:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        for _ in range(4):
            traveller.shift(25 * 60)
            assert client.get("/dashboard/").status_code == 200


def test_it_ends_after_30_idle_minutes_S25(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 09:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        traveller.shift(29 * 60)
        assert client.get("/dashboard/").status_code == 200
        traveller.shift(31 * 60)
        response = client.get("/dashboard/")
        assert response.status_code == 302
        page = client.get(response["Location"])
    assert b"the session ran out" in page.content


def test_it_ends_after_12_hours_whatever_happens_S25(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 08:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        for _ in range(47):
            traveller.shift(15 * 60)
            assert client.get("/dashboard/").status_code == 200
        traveller.shift(16 * 60)
        assert client.get("/dashboard/").status_code == 302


def test_the_session_cookie_ends_with_the_browser(client: Client, user: User) -> None:
    log_in_through_forms(client, user)
    cookie = client.cookies["__Host-hs-session"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
