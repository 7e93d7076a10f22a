"""Drafts of long forms in a real browser (issue 12): what is typed is sent
as a draft while writing and when the tab closes, and comes back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from holdspace.accounts.models import Draft
from holdspace.testing import PASSWORD, World, code_for
from holdspace.testing.browser import log_in
from holdspace.testing.world import fresh_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    with fresh_world() as built:
        yield built


@pytest.fixture
def context(browser: Any, live_server: Any, world: World) -> Iterator[Any]:
    """A browser signed in as a member of the support group."""
    member = world.personas["support-member"]
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, member.username, PASSWORD, code_for(member), landing=None)
    page.close()
    yield context
    context.close()


def _note_url(live_server: Any, world: World) -> str:
    return f"{live_server.url}/g/{world.groups['support'].pk}/notes/new/"


def _eventually(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait for what the page's script sends in the background (a slow
    machine takes its time), failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the script's request never arrived"
        time.sleep(0.1)


def test_a_closed_tab_loses_nothing(context: Any, live_server: Any, world: World) -> None:
    page = context.new_page()
    page.clock.install()
    page.goto(_note_url(live_server, world))
    page.locator("textarea").fill("What the group agreed tonight")
    page.clock.fast_forward("00:31")
    _eventually(lambda: Draft.objects.count() == 1)
    first = Draft.objects.get().payload
    page.locator("textarea").fill("What the group agreed tonight, and more")
    page.close(run_before_unload=True)  # the tab is closed: the last words go as well
    _eventually(lambda: bytes(Draft.objects.get().payload) != bytes(first))

    again = context.new_page()
    again.goto(_note_url(live_server, world))
    assert again.locator("textarea").input_value() == "What the group agreed tonight, and more"
    assert again.get_by_text("This form holds a draft").is_visible()
    again.get_by_role("button", name="Discard this draft").click()
    again.wait_for_load_state()
    assert again.locator("textarea").input_value() == ""
    assert Draft.objects.count() == 0


def test_saving_leaves_no_draft_behind(context: Any, live_server: Any, world: World) -> None:
    page = context.new_page()
    page.goto(_note_url(live_server, world))
    page.locator("textarea").fill("Saved, not drafted")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_timeout(500)
    assert Draft.objects.count() == 0
