"""Party accounts — the person who caused harm and the survivor — never reach
the internal pages of their process (S44), even with a membership that
should not exist; they will read only through their own pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from holdspace.processes.models import Membership
from holdspace.testing import World, add_member, client_for, make_user, normalised, sign_in

pytestmark = pytest.mark.django_db


def _page(response: Any) -> bytes:
    """The page without what differs on every response or names the address."""
    return re.sub(rb'name="next" value="[^"]*"', b"", normalised(response.content))


@pytest.mark.parametrize("persona", ["portal", "survivor"])
def test_a_party_with_a_membership_is_still_refused_everywhere_S44(
    world: World, persona: str
) -> None:
    group = world.groups["support"]
    add_member(world.keyring, group, world.personas[persona])
    client = client_for(world, persona)
    missing = _page(client.get(reverse("hs-group", args=["00000000-0000-4000-8000-000000000000"])))
    for url in (
        reverse("hs-process", args=[world.process.pk]),
        reverse("hs-timeline", args=[world.process.pk]),
        reverse("hs-group", args=[group.pk]),
        reverse("hs-record", args=[world.shared_note.pk]),
        reverse("hs-record", args=[world.notes["support"].pk]),
        reverse("hs-note-new", args=[group.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert _page(response) == missing, url
    dashboard = client.get(reverse("hs-dashboard")).content.decode()
    assert "Process Willow" not in dashboard and "Willow support group" not in dashboard


def test_a_party_cannot_join_a_group_of_its_own_process_S44(world: World) -> None:
    group = world.groups["contact"]
    coordinator = client_for(world, "contact-coordinator")
    invited = coordinator.post(reverse("hs-group-invite", args=[group.pk]), {"role": "member"})
    path = re.search(rb"http://testserver(/join/[A-Za-z0-9_-]+/)", invited.content)
    assert path is not None
    portal = client_for(world, "portal")
    data = {"commitment_until": "", "capacity_note": "", "conflict_of_interest": ""}
    response = portal.post(path.group(1).decode(), data, follow=True)
    assert "cannot join the process" in response.content.decode()
    assert not Membership.objects.filter(group=group, user=world.personas["portal"]).exists()
    # The link stays usable for the person it was meant for.
    newcomer = make_user("newcomer")
    other = portal.__class__()
    sign_in(other, newcomer)
    assert other.post(path.group(1).decode(), data).status_code == 302
    assert Membership.objects.filter(group=group, user=newcomer).exists()
