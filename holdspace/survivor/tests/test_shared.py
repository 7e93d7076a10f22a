"""What a group shares with one of the two people the process is about and
that has no page of its own there (a note; for her, what he wrote in his
portal) shows on that person's own page — and nothing that was not shared."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.portal import services as portal
from holdspace.portal.models import Answer
from holdspace.portal.tests.helpers import party
from holdspace.processes.models import Record
from holdspace.processes.services import change_audience
from holdspace.testing import World, client_for, write_note
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db


def _share(world: World, record: Record, *, him: bool, her: bool) -> None:
    with using(world.keyring):
        change_audience(
            record,
            by=world.personas["contact-coordinator"],
            groups=list(record.audience_groups.all()),
            to_harming_party=him,
            to_harmed_party=her,
        )


def test_a_shared_note_shows_on_the_party_page_and_an_unshared_one_does_not(
    world: World,
) -> None:
    group = world.groups["contact"]
    author = world.personas["contact-member"]
    for_him = write_note(world.keyring, group, author, "Dates for spring", "We meet in March.")
    for_her = write_note(world.keyring, group, author, "How it went", "He came and listened.")
    write_note(world.keyring, group, author, "Our worries", "We doubt he means it.")
    _share(world, for_him, him=True, her=False)
    _share(world, for_her, him=False, her=True)
    his = client_for(world, "portal").get(reverse("hs-portal")).content.decode()
    hers = client_for(world, "survivor").get(reverse("hs-survivor")).content.decode()
    assert "We meet in March." in his and "He came and listened." not in his
    assert "He came and listened." in hers and "We meet in March." not in hers
    assert "We doubt he means it." not in his + hers


def test_what_he_wrote_reaches_her_only_when_the_contact_group_shares_it(world: World) -> None:
    with using(world.keyring):
        answer = portal.write_answer(
            party(world),
            by=world.personas["portal"],
            kind=Answer.Kind.REFLECTION,
            body="I have started to see what I did.",
        )
    survivor = client_for(world, "survivor")
    assert "I have started to see" not in survivor.get(reverse("hs-survivor")).content.decode()
    _share(world, answer, him=True, her=True)
    page = survivor.get(reverse("hs-survivor")).content.decode()
    assert "I have started to see what I did." in page
    assert "reflection before a meeting" in page
