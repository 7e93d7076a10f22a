"""A new user starts every kind of record from the process page, by following
the buttons they see there, without reading anything else."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from holdspace.commitments.models import Agreement, Demand, Evidence, Letter, Step
from holdspace.testing import World, client_for
from holdspace.testing.commitments import soon

pytestmark = pytest.mark.django_db


def _follow(client: Client, page: str, text: str) -> str:
    """The address of the link or button labelled ``text`` on ``page``."""
    content = client.get(page).content.decode()
    match = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>\s*{re.escape(text)}\s*</a>', content)
    assert match is not None, f"no “{text}” on {page}"
    return html.unescape(match.group(1))


def test_the_survivors_side_starts_the_letter_demands_steps_and_agreements(world: World) -> None:
    client = client_for(world, "support-member")
    process_page = f"/p/{world.process.pk}/"

    letter_form = _follow(client, process_page, "Write the letter")
    client.post(
        letter_form, {"occurred_on": "2026-01-01", "title": "To all", "body": "What happened."}
    )
    assert Letter.objects.count() == 1

    demand_form = _follow(client, process_page, "Add a demand")
    data = {"occurred_on": "2026-01-01", "wording": "Stay in contact.", "reason": ""}
    response = client.post(demand_form, {**data, "share_with": [world.groups["contact"].pk]})
    demand = Demand.objects.get()

    step_form = _follow(client, response["Location"], "Add a step")
    due = soon(14).isoformat()
    data = {"group": world.groups["support"].pk, "description": "Answer us.", "due_on": due}
    response = client.post(step_form, data)
    assert Step.objects.get().towards == demand

    evidence_form = _follow(client, response["Location"], "Note progress")
    data = {"happened_on": "2026-01-02", "source": "reported", "text": "He answered."}
    client.post(evidence_form, data)
    assert Evidence.objects.count() == 1

    agreement_form = _follow(client, process_page, "Add an agreement")
    client.post(
        agreement_form,
        {
            "agreement_kind": "no_contact",
            "terms": "No contact.",
            "binds": "K.",
            "starts_on": "2026-01-01",
            "ends_on": "",
            "review_on": "",
            "status": "agreed",
        },
    )
    assert Agreement.objects.count() == 1
    overview = client.get(
        _follow(client, process_page, "See the letter, the demands, the steps and the agreements")
    )
    for text in ("To all", "Stay in contact.", "Answer us.", "No contact with the person harmed"):
        assert text in overview.content.decode(), text


def test_other_groups_see_only_what_they_can_start(world: World) -> None:
    page = client_for(world, "contact-member").get(f"/p/{world.process.pk}/").content.decode()
    assert "Add an agreement" in page
    assert "Write the letter" not in page and "Add a demand" not in page


def test_write_the_letter_disappears_once_the_letter_exists(world: World) -> None:
    client = client_for(world, "support-member")
    pages = [f"/p/{world.process.pk}/", f"/p/{world.process.pk}/commitments/"]
    letter_form = _follow(client, pages[1], "Write the letter")
    client.post(
        letter_form, {"occurred_on": "2026-01-01", "title": "To all", "body": "What happened."}
    )
    assert Letter.objects.count() == 1
    for page in pages:
        content = client.get(page).content.decode()
        assert "Write the letter" not in content, page
        # Adding a demand is now the page's primary action.
        assert re.search(r'<a class="button" href="[^"]+">Add a demand</a>', content), page
