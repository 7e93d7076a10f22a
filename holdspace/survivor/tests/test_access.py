"""Her pages are hers alone: every member, the portal account and anyone
else gets "not found" (S44; the matrix has every row)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.survivor.tests.helpers import demand, her_party, informing, proposal
from holdspace.testing import World, client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona", ["support-coordinator", "support-member", "contact-member", "portal", "outsider"]
)
def test_nobody_else_reaches_her_pages(world: World, persona: str) -> None:
    her_party(world)
    waiting = proposal(world, demand(world, "Keep away on Fridays"))
    planned = informing(world)
    client = client_for(world, persona)
    urls = [
        reverse("hs-survivor"),
        reverse("hs-survivor-demands"),
        reverse("hs-survivor-choices"),
        reverse("hs-survivor-approval", args=[waiting.pk]),
        reverse("hs-survivor-informing", args=[planned.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls[2:]:
        data = {"decision": "approve", "part": "who", "who": "herself"}
        assert client.post(url, data).status_code == 404, url


def test_she_cannot_open_what_is_not_addressed_to_her(world: World) -> None:
    her_party(world)
    not_hers = proposal(world, demand(world, "Not shared with her", hers=False))
    planned = informing(world, hers=False)
    client = client_for(world, "survivor")
    assert client.get(reverse("hs-survivor-approval", args=[not_hers.pk])).status_code == 404
    assert client.get(reverse("hs-survivor-informing", args=[planned.pk])).status_code == 404
    assert (
        client.get(reverse("hs-survivor-informing", args=[world.shared_note.pk])).status_code == 404
    )
