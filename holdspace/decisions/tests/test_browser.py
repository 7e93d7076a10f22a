"""In a real browser, without documentation: from the missed-meeting alert on
the dashboard to a recorded outcome. A member opens the prepared decision
and asks the group, each member of the group answers (an objection needs
its reason), and the outcome is written down."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from holdspace.decisions.models import Decision
from holdspace.decisions.tests.helpers import agreed_ladder, missed_meeting
from holdspace.testing import PASSWORD, World, code_for
from holdspace.testing.browser import log_in
from holdspace.testing.world import fresh_world
from holdspace.watch.tick import tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    with fresh_world() as built:
        yield built


@pytest.fixture
def signed_in(browser: Any, live_server: Any, world: World) -> Iterator[Any]:
    """A page factory: a fresh browser signed in as one of the world's personas."""
    contexts: list[Any] = []
    problems: list[str] = []

    def make(persona: str) -> Any:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        person = world.personas[persona]
        log_in(page, live_server.url, person.username, PASSWORD, code_for(person))
        page.on("pageerror", lambda error: problems.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == []


def _shows(page: Any, text: str) -> None:
    """Waits until the page (the one a click led to) shows ``text``: reading
    it at once could catch the browser between two pages."""
    page.wait_for_function(
        "text => document.body !== null && document.body.innerText.includes(text)", arg=text
    )


def test_from_the_no_show_alert_to_a_recorded_outcome(signed_in: Any, world: World) -> None:
    agreed_ladder(world, steps=("A written reminder with a new date.", "Inform his group."))
    missed_meeting(world)
    tick()

    # A member follows the alert and finds the prepared step.
    member = signed_in("contact-member")
    member.get_by_role("link", name="did not come to the meeting").click()
    _shows(member, "Nobody has been asked or told anything yet")
    member.get_by_role("link", name="Open the prepared decision").click()
    assert member.get_by_label("What do you propose?").input_value() == (
        "A written reminder with a new date."
    )
    member.get_by_role("button", name="Ask the group").click()
    member.wait_for_load_state()
    _shows(member, "The group is asked. Each member can now answer.")
    member.get_by_label("I agree").check()
    member.get_by_role("button", name="Save my answer").click()
    member.wait_for_load_state()
    _shows(member, "Your answer is saved")

    # The coordinator is reminded, objects, and is asked for a reason first.
    coordinator = signed_in("contact-coordinator")
    coordinator.get_by_role("link", name="please give your answer by").click()
    coordinator.get_by_label("I object").check()
    coordinator.get_by_role("button", name="Save my answer").click()
    coordinator.wait_for_load_state()
    _shows(coordinator, "Please say why you object or block")
    assert coordinator.get_by_label("I object").is_checked()
    coordinator.get_by_label("Your reason").fill("Add a deadline of two weeks.")
    coordinator.get_by_role("button", name="Save my answer").click()
    coordinator.wait_for_load_state()
    _shows(coordinator, "Add a deadline of two weeks.")
    assert "Not answered yet:" not in coordinator.content()

    # The outcome, with its reasons.
    coordinator.get_by_role("link", name="Record the outcome").click()
    coordinator.get_by_label("Adopted: the group does what was proposed").check()
    coordinator.get_by_label("What was decided").fill("A reminder with a deadline of two weeks.")
    coordinator.get_by_label("Why", exact=True).fill("The objection was taken in.")
    coordinator.get_by_role("button", name="Record the outcome").click()
    coordinator.wait_for_load_state()
    _shows(coordinator, "The outcome is recorded.")
    decision = Decision.objects.get(topic=Decision.Topic.RESPOND)
    assert decision.is_decided and decision.result == Decision.Result.ADOPTED
    assert decision.participants.count() == 2
