"""The warning before the session ends, in a real browser (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from holdspace.accounts.models import User
from holdspace.testing import PASSWORD, code_for, make_user
from holdspace.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def person(transactional_db: None) -> User:
    return make_user("robin")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    problems: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert [p for p in problems if "favicon.ico" not in p] == []


def test_it_warns_two_minutes_before_and_lets_the_person_stay(
    page: Any, live_server: Any, person: User
) -> None:
    page.clock.install()
    log_in(page, live_server.url, person.username, PASSWORD, code_for(person))
    warning = page.get_by_role("alertdialog", name="You will be logged out soon")
    assert not warning.is_visible()

    page.clock.fast_forward("27:00")
    assert not warning.is_visible()
    page.clock.fast_forward("01:30")
    warning.wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "hs-session-warning"
    assert "in 2 minutes" in warning.inner_text()

    page.get_by_role("button", name="Stay logged in").click()
    warning.wait_for(state="hidden")
    assert page.url == f"{live_server.url}/dashboard/"  # the page was not left


def test_it_says_when_the_session_has_ended_and_keeps_the_page(
    page: Any, live_server: Any, person: User
) -> None:
    page.clock.install()
    log_in(page, live_server.url, person.username, PASSWORD, code_for(person))
    page.clock.fast_forward("31:00")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(state="visible")
    assert "What you typed is still on this page" in warning.inner_text()
    assert not page.get_by_role("button", name="Stay logged in").is_visible()
    assert page.url == f"{live_server.url}/dashboard/"
