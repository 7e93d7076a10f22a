"""The form script in a real browser (issue 12): fields revealed under their
option, the character count, focus on the error summary; and without
JavaScript everything is shown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT  # type: ignore[import-untyped]  # ships no types

from holdspace.testing import PASSWORD, World, code_for
from holdspace.testing.browser import log_in
from holdspace.testing.world import fresh_world
from holdspace.tests.test_browser_pages import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    with fresh_world() as built:
        yield built


@pytest.fixture
def contact_page(browser: Any, live_server: Any, world: World) -> Iterator[Any]:
    """A page factory for "Log a contact", signed in as a contact group member."""
    member = world.personas["contact-member"]
    contexts: list[Any] = []
    problems: list[str] = []

    def make(javascript: bool = True) -> Any:
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server.url, member.username, PASSWORD, code_for(member), landing=None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/g/{world.groups['contact'].pk}/contacts/new/")
        return page

    yield make
    for context in contexts:
        context.close()
    assert [p for p in problems if "favicon" not in p] == []


def test_he_answered_on_appears_only_under_we_contacted(contact_page: Any) -> None:
    page = contact_page()
    answered = page.locator("#id_answered_on")
    outgoing = page.locator("#id_direction_0")
    assert not answered.is_visible()
    assert outgoing.get_attribute("aria-controls") == "id_direction_0_conditional"
    outgoing.check()
    assert answered.is_visible()
    page.locator("#id_direction_1").check()
    assert not answered.is_visible()
    # What it fills in is kept while hidden (and ignored by the server).
    outgoing.check()
    answered.fill("2026-01-02")
    page.locator("#id_direction_1").check()
    outgoing.check()
    assert answered.input_value() == "2026-01-02"


def test_without_javascript_every_field_is_shown(contact_page: Any) -> None:
    page = contact_page(javascript=False)
    assert page.locator("#id_answered_on").is_visible()
    assert page.locator("#id_counterpart_note").is_visible()


def test_the_count_follows_what_is_typed_in_characters(contact_page: Any) -> None:
    page = contact_page()
    count = page.locator("#id_summary_count")
    page.locator("#id_summary").fill("x" * 100)
    assert count.inner_text() == ""
    page.locator("#id_summary").fill("🌱" * 37_500)  # 75 %: emoji count once
    assert count.inner_text() == "You have 12,500 characters left"
    page.locator("#id_summary").fill("🌱" * 50_002)  # nothing is cut
    assert count.inner_text() == "You have 2 characters too many"
    assert page.locator("#id_summary").input_value() == "🌱" * 50_002


def test_a_refused_form_puts_focus_on_the_summary(contact_page: Any) -> None:
    page = contact_page()
    page.locator("#id_direction_0").check()  # a field revealed, the others in error
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_load_state()
    # The crawl in test_browser_pages sees pages as sent; this is the refused one.
    page.evaluate(AXE_SCRIPT)
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    assert [v["id"] for v in found["violations"]] == []
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.hasAttribute('data-hs-error-summary')")
    page.get_by_role("link", name="What was said: Please fill this in.").click()
    assert page.evaluate("document.activeElement.id") == "id_summary"
