"""The quick exit in a real browser, with and without JavaScript (S33), and
pages that the Content-Security-Policy never has to block (S28)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import LazySettings

from holdspace.accounts.models import Session, User
from holdspace.testing import PASSWORD, code_for, make_user
from holdspace.testing.browser import log_in
from holdspace.web.policy import LOGIN_NEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def neutral(live_server: Any, settings: LazySettings) -> str:
    # A page of our own stands in for the neutral site (no internet in tests).
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return str(settings.QUICK_EXIT_URL)


@pytest.fixture
def person(transactional_db: None) -> User:
    return make_user("robin")


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Any]:
    contexts = []
    problems: list[str] = []

    def make(javascript: bool = True) -> Any:
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()
    # No CSP violation, no script error, no failed request on any page visited
    # (the stand-in neutral page has no icon; the browser asks anyway).
    failed_loads = "Failed to load resource"
    assert [p for p in problems if "favicon.ico" not in p and failed_loads not in p] == []


def _log_in(page: Any, live_server: Any, person: User) -> None:
    log_in(page, live_server.url, person.username, PASSWORD, code_for(person))


def _assert_gone(page: Any, live_server: Any, person: User, neutral: str) -> None:
    page.wait_for_url(neutral)
    assert not Session.objects.filter(user=person).exists()
    page.go_back()
    page.wait_for_load_state()
    assert "/login/" in page.url
    content = page.content()
    assert "Your account" not in content and "Overview" not in content


def test_the_button_leaves_and_back_shows_nothing_S33(
    page_factory: Any, live_server: Any, person: User, neutral: str
) -> None:
    page = page_factory()
    _log_in(page, live_server, person)
    page.goto(f"{live_server.url}/account/")
    page.evaluate("window.localStorage.setItem('draft', 'something private')")
    page.get_by_role("button", name="Leave this site now").click()
    _assert_gone(page, live_server, person, neutral)
    assert page.evaluate("window.localStorage.getItem('draft')") is None


def test_shift_three_times_leaves_S33(
    page_factory: Any, live_server: Any, person: User, neutral: str
) -> None:
    page = page_factory()
    _log_in(page, live_server, person)
    page.goto(f"{live_server.url}/account/")
    assert page.locator(".quick-exit__hint").is_visible()
    for _ in range(3):
        page.keyboard.press("Shift")
    _assert_gone(page, live_server, person, neutral)


def test_shift_presses_within_five_seconds_count_and_are_shown_S33(
    page_factory: Any, live_server: Any, person: User, neutral: str
) -> None:
    page = page_factory()
    page.clock.install()
    _log_in(page, live_server, person)
    page.goto(f"{live_server.url}/account/")
    status = page.locator(".quick-exit__status")
    assert status.get_attribute("role") == "status"
    page.keyboard.press("Shift")
    assert page.locator(".quick-exit__dot--on").count() == 1
    assert status.text_content() == (
        "Shift pressed 1 of 3 times. Press it 2 more times to leave this site."
    )
    page.clock.run_for(4000)
    page.keyboard.press("Shift")
    assert page.locator(".quick-exit__dot--on").count() == 2
    assert "2 of 3" in (status.text_content() or "")
    page.clock.run_for(4000)  # 8 s in all, but never 5 s between two presses
    page.keyboard.press("Shift")
    _assert_gone(page, live_server, person, neutral)


def test_shift_presses_more_than_five_seconds_apart_start_again(
    page_factory: Any, live_server: Any, neutral: str
) -> None:
    page = page_factory()
    page.clock.install()
    page.goto(f"{live_server.url}/login/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.clock.run_for(5100)
    assert page.locator(".quick-exit__dot--on").count() == 0
    assert not page.locator(".quick-exit__progress").is_visible()
    assert "cancelled" in (page.locator(".quick-exit__status").text_content() or "")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == f"{live_server.url}/login/"


def test_back_after_an_exit_shows_no_purpose_and_no_path_S33(
    page_factory: Any, live_server: Any, person: User, neutral: str
) -> None:
    page = page_factory()
    _log_in(page, live_server, person)
    page.goto(f"{live_server.url}/account/")
    assert "accountability" in page.content()  # the purpose, for those signed in
    page.get_by_role("button", name="Leave this site now").click()
    page.wait_for_url(neutral)
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/login/"  # no ?next=/account/
    assert "accountability" not in page.content()
    # Nor does the server keep where the person was for the next log-in.
    kept = [s.get_decoded().get(LOGIN_NEXT) for s in Session.objects.all()]
    assert not any(kept)


def test_typing_capitals_does_not_leave(
    page_factory: Any, live_server: Any, person: User, neutral: str
) -> None:
    page = page_factory()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").press_sequentially("A Bold Claim About Clear Days")
    page.wait_for_timeout(300)
    assert page.url == f"{live_server.url}/login/"


def test_without_javascript_the_button_still_leaves_S33(
    page_factory: Any, live_server: Any, person: User, neutral: str
) -> None:
    page = page_factory(javascript=False)
    _log_in(page, live_server, person)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("button", name="Leave this site now").click()
    _assert_gone(page, live_server, person, neutral)


def test_the_quick_exit_is_the_first_thing_the_keyboard_reaches_S33(
    page_factory: Any, live_server: Any, neutral: str
) -> None:
    page = page_factory()
    page.goto(f"{live_server.url}/login/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "quick-exit__button"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
