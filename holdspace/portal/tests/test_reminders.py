"""Content-free reminders for him (S35): his steps and meetings, for his
account alone; members never see his alerts, and he sees none of theirs."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from holdspace.portal.tests.helpers import SHOWN, portal_world
from holdspace.portal.watch import PORTAL_MEETING_SOON, PORTAL_STEP_DUE
from holdspace.testing import GROUP_KINDS, World, client_for
from holdspace.watch import attention, collect

pytestmark = pytest.mark.django_db

MEMBERS = [f"{kind}-{role}" for kind in GROUP_KINDS for role in ("coordinator", "member")]
MINE = {PORTAL_STEP_DUE, PORTAL_MEETING_SOON}


def test_his_alerts_are_for_his_account_alone(world: World) -> None:
    made = portal_world(world)
    him = world.personas["portal"]
    found = [a for a in collect.current_alerts() if a.kind in MINE]
    assert {(a.kind, a.subject) for a in found} == {
        (PORTAL_STEP_DUE, made.step.pk),
        (PORTAL_MEETING_SOON, made.meeting.pk),
    }
    assert all(a.users == frozenset({him.pk}) and not a.groups for a in found)
    for persona in MEMBERS:
        kinds = {a.kind for a in collect.alerts_for(world.personas[persona])}
        assert not kinds & MINE, persona
    # He is in no group: none of the members' alerts reach him.
    assert collect.alerts_for(him) == []
    assert attention.items_for(him) == []


@override_settings(EMAIL_ENABLED=True)
def test_his_reminder_says_nothing_but_log_in(world: World) -> None:
    portal_world(world)
    client = client_for(world, "portal")
    response = client.post("/account/reminders/", {"email": "k@example.org", "enabled": "on"})
    assert response.status_code == 302
    call_command("tick", stdout=io.StringIO())
    call_command("tick", stdout=io.StringIO())
    sent = [m for m in mail.outbox if m.to == ["k@example.org"]]
    assert len(sent) == 1
    text = f"{sent[0].subject}\n{sent[0].body}"
    for word in [*SHOWN, "meeting", "step", "K."]:
        assert word not in text, word
    assert not re.search(r"\d", text.replace("127.0.0.1:8000", "")), "no counts or dates"


def test_his_portal_links_to_his_reminder_settings(world: World) -> None:
    page = client_for(world, "portal").get("/portal/")
    assert b'href="/account/reminders/"' in page.content
