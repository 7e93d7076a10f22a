"""Every page of the decisions app is neutral and well structured (title,
landmarks, one heading, labelled fields, nothing inline)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.decisions.models import Decision
from holdspace.decisions.tests.helpers import agreed_ladder, decide, missed_meeting, propose
from holdspace.testing import World, assert_pages_well_structured
from holdspace.watch.tick import tick

pytestmark = pytest.mark.django_db


def test_every_decisions_page_is_well_structured(world: World) -> None:
    ladder = agreed_ladder(world)
    missed_meeting(world)
    tick()
    draft = Decision.objects.get(status=Decision.Status.DRAFT)
    open_one = propose(world, asked=["support"], options=["A letter", "A call"])
    decided = propose(world)
    decide(world, decided)
    process = world.process.pk
    urls = [
        reverse("hs-decisions", args=[process]),
        reverse("hs-decision-new", args=[process]),
        reverse("hs-ladder", args=[process]),
        reverse("hs-ladder-edit", args=[ladder.pk]),
        reverse("hs-decision", args=[draft.pk]),
        reverse("hs-decision-prepare", args=[draft.pk]),
        reverse("hs-decision", args=[open_one.pk]),
        reverse("hs-decision-answer", args=[open_one.pk]),
        reverse("hs-decision-outcome", args=[open_one.pk]),
        reverse("hs-decision", args=[decided.pk]),
        reverse("hs-decision-replace", args=[decided.pk]),
        reverse("hs-timeline", args=[process]),
        reverse("hs-process", args=[process]),
        "/dashboard/",
    ]
    assert_pages_well_structured(world, urls, ("contact-coordinator", "contact-member"))
