"""His calendar feed: the meetings with him and his steps' due dates, as
neutral as every feed — and nothing of the groups' own (S35)."""

from __future__ import annotations

import re

import pytest

from holdspace.portal.tests.helpers import portal_world
from holdspace.testing import World, client_for

pytestmark = pytest.mark.django_db


def test_his_calendar_holds_his_meetings_and_due_dates_only(world: World) -> None:
    portal = portal_world(world)
    client = client_for(world, "portal")
    page = client.post("/account/calendar/", {"action": "new"}).content.decode()
    match = re.search(r"http://testserver(/calendar/[A-Za-z0-9_-]{43}/)", page)
    assert match is not None
    text = client_for(world, "anonymous").get(match.group(1)).content.decode()
    # The meetings with him (the next, and one held); not the internal one
    # addressed to him by mistake.
    unfolded = text.replace("\r\n ", "")
    assert text.count("SUMMARY:Holdspace meeting") == 2
    assert f"meeting-{portal.meeting.pk}@" in unfolded
    assert f"meeting-{portal.internal_meeting.pk}@" not in unfolded
    # His step due in five days.
    assert "SUMMARY:Holdspace reminder" in text
    assert "portal_step_due" in unfolded
    for word in ("LOCATION", "DESCRIPTION", world.process.name, "Willow"):
        assert word not in text
