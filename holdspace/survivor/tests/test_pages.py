"""Her pages are well structured (headings, landmarks, labelled forms) and
their titles say what each is for, never a name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.survivor.tests.helpers import demand, her_party, informing, proposal
from holdspace.testing import World, assert_pages_well_structured, client_for

pytestmark = pytest.mark.django_db


def test_every_page_of_hers_is_well_structured(world: World) -> None:
    her_party(world)
    waiting = proposal(world, demand(world, "Keep away on Fridays"))
    planned = informing(world)
    urls = [
        reverse("hs-survivor"),
        reverse("hs-survivor-demands"),
        reverse("hs-survivor-choices"),
        reverse("hs-survivor-approval", args=[waiting.pk]),
        reverse("hs-survivor-informing", args=[planned.pk]),
    ]
    assert_pages_well_structured(world, urls, ("survivor",))


def test_the_overview_takes_her_to_her_own_view(world: World) -> None:
    her_party(world)
    response = client_for(world, "survivor").get(reverse("hs-dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("hs-survivor")
