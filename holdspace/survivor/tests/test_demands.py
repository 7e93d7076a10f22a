"""Her demands as they stand, with their steps addressed to her, and nothing
else: no names, groups, reasons, evidence or notes (S16, S44)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from holdspace.commitments import services as commitments
from holdspace.survivor.tests.helpers import demand, her_browser, to_her
from holdspace.testing import World, write_note
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db


def test_it_shows_her_demands_and_their_steps_and_nothing_else(world: World) -> None:
    hers = demand(world, "Keep away from the cooperative on Fridays")
    demand(world, "A demand not shared with her", hers=False)
    with using(world.keyring):
        step = commitments.add_step(
            hers,
            author=world.personas["contact-member"],
            group=world.groups["contact"],
            description="Send the group a plan for Fridays",
            due_on=world.process.started_on + datetime.timedelta(days=30),
            agreed_on=world.process.started_on,
        )
        commitments.add_step(
            hers,
            author=world.personas["contact-member"],
            group=world.groups["contact"],
            description="A step not shared with her",
            due_on=world.process.started_on + datetime.timedelta(days=30),
            agreed_on=world.process.started_on,
        )
    to_her(world, step)
    page = her_browser(world).get(reverse("hs-survivor-demands")).content.decode()
    assert "Keep away from the cooperative on Fridays" in page
    assert "Send the group a plan for Fridays" in page
    assert "overdue" in page  # its due date has passed
    for hidden in (
        "A demand not shared with her",
        "A step not shared with her",
        "An internal reason of the support group",
        "Willow support group",
        "Willow contact group",
        "support-member",
        "contact-member",
    ):
        assert hidden not in page, hidden


def test_she_never_sees_a_contact_group_note(world: World) -> None:
    demand(world, "Keep away from the cooperative on Fridays")
    write_note(
        world.keyring,
        world.groups["contact"],
        world.personas["contact-member"],
        "What the contact group thinks of him",
        "Only for the contact group",
    )
    client = her_browser(world)
    for name in ("hs-survivor", "hs-survivor-demands", "hs-survivor-choices"):
        page = client.get(reverse(name)).content.decode()
        assert "What the contact group thinks" not in page
        assert "Only for the contact group" not in page


def test_it_says_so_when_nothing_is_shared_with_her(world: World) -> None:
    page = her_browser(world).get(reverse("hs-survivor-demands")).content.decode()
    assert "No demand has been shared with you yet." in page
