"""The warning before the session ends, and "Stay logged in" (issue 12)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.testing import log_in_through_forms

pytestmark = pytest.mark.django_db

STAY = reverse("hs-session-stay")
JSON = {"Accept": "application/json"}


def _left(page: bytes) -> int:
    match = re.search(rb'data-hs-session-left="(\d+)"', page)
    assert match, "the page does not say when the session ends"
    return int(match.group(1))


def test_pages_say_when_the_session_ends_and_carry_the_warning(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 23:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        traveller.shift(10 * 60)
        page = client.get(reverse("hs-account")).content
    assert _left(page) == 30 * 60  # this request counted as activity
    assert b'role="alertdialog"' in page
    assert b"You will be logged out in 2 minutes to protect this information." in page
    assert b"Stay logged in" in page
    assert b"holdspace/session.js" in page


def test_the_warning_is_not_on_pages_without_a_session(client: Client) -> None:
    page = client.get(reverse("hs-login")).content
    assert b"data-hs-session-left" not in page and b"Stay logged in" not in page


def test_it_stays_logged_in(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 23:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        traveller.shift(29 * 60)
        answer = client.post(STAY, headers=JSON)
        assert answer.status_code == 200
        assert answer.json() == {"left": 30 * 60}
        traveller.shift(29 * 60)  # 58 minutes after the last page
        assert client.get(reverse("hs-dashboard")).status_code == 200


def test_without_staying_the_same_wait_logs_out(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 23:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        traveller.shift(29 * 60)
        traveller.shift(29 * 60)
        assert client.get(reverse("hs-dashboard")).status_code == 302


def test_staying_never_passes_the_12_hour_limit_S25(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 08:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        for _ in range(47):
            traveller.shift(15 * 60)
            client.post(STAY, headers=JSON)
        traveller.shift(14 * 60)  # 11 h 59 min
        assert client.post(STAY, headers=JSON).json() == {"left": 60}
        traveller.shift(2 * 60)
        assert client.post(STAY, headers=JSON).status_code == 302


def test_it_is_too_late_once_the_session_ran_out(client: Client, user: User) -> None:
    with time_machine.travel("2026-11-22 23:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        traveller.shift(31 * 60)
        response = client.post(STAY, headers=JSON)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_without_javascript_it_goes_back_to_the_page(client: Client, user: User) -> None:
    log_in_through_forms(client, user)
    response = client.post(STAY, {"next": reverse("hs-account")})
    assert response.status_code == 302 and response["Location"] == reverse("hs-account")


def test_it_rejects_get(client: Client, user: User) -> None:
    log_in_through_forms(client, user)
    assert client.get(STAY).status_code == 405
