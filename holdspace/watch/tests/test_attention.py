"""The "needs attention" list: decisions waiting for the reader's own group
first, each thing once, the whole list on the overviews only, and alerts
that lead to where the thing is done."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from holdspace.commitments import services as commitments
from holdspace.commitments.models import WordingProposal
from holdspace.contact import services as contact
from holdspace.processes.models import Process
from holdspace.testing import World, client_for
from holdspace.testing.commitments import add_records
from holdspace.watch import attention, rules

pytestmark = pytest.mark.django_db


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _kinds(content: bytes) -> list[str]:
    return re.findall(r'data-kind="([a-z_]+)"', content.decode())


def _proposal(world: World) -> WordingProposal:
    demand = commitments.create_demand(
        author=world.personas["support-member"],
        group=world.groups["support"],
        occurred_on=_ago(0),
        wording="Join a programme and finish it.",
        reason="",
        audience=[world.groups["contact"]],
    )
    return commitments.propose(
        demand,
        by=world.personas["contact-member"],
        group=world.groups["contact"],
        kind=WordingProposal.Kind.REWORD,
        wording="Think about a programme.",
        reason="He says it is too hard.",
    )


def _missed_meeting(world: World) -> None:
    contact.plan_meeting(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=_ago(20),
        starts_at=None,
        internal=False,
        place="",
        agenda="",
        preparation_asked="",
        attendees=[],
        outcome="no_show",
    )


@pytest.mark.parametrize("persona", ["support-coordinator", "support-member"])
def test_a_demand_change_waiting_for_the_survivors_side_comes_first_in_its_list(
    world: World, persona: str
) -> None:
    proposal = _proposal(world)
    page = client_for(world, persona).get("/dashboard/").content
    assert _kinds(page)[0] == "decision_pending"
    text = re.sub(r"\s+", " ", page.decode())
    item = text[text.index('data-kind="decision_pending"') :]
    item = item[: item.index("</li>")]
    # Which process, what to do, and the page where it is done.
    assert "Process Willow:" in item and "waits for your group's decision" in item
    assert f'href="/d/{proposal.demand_id}/proposals/{proposal.pk}/decide/"' in item


@pytest.mark.parametrize("persona", ["contact-member", "supervision-coordinator", "outsider"])
def test_a_decision_of_the_survivors_side_is_in_no_other_list(world: World, persona: str) -> None:
    _proposal(world)
    assert "decision_pending" not in _kinds(client_for(world, persona).get("/dashboard/").content)


def test_the_contact_page_shows_one_line_after_its_actions_not_the_list(world: World) -> None:
    _missed_meeting(world)
    client = client_for(world, "contact-member")
    overview = client.get(f"/p/{world.process.pk}/").content
    count = len(_kinds(overview))
    assert count >= 2
    page = client.get(f"/p/{world.process.pk}/contact/").content.decode()
    assert _kinds(page.encode()) == []
    line = f'<a href="/p/{world.process.pk}/#attention">{count} things in this process need'
    assert line in page and page.index("Log a contact") < page.index(line)
    assert 'id="attention"' in overview.decode()


def test_a_missed_meeting_leads_to_a_page_that_says_what_to_do(world: World) -> None:
    _missed_meeting(world)
    client = client_for(world, "contact-member")
    text = re.sub(r"\s+", " ", client.get("/dashboard/").content.decode())
    item = text[text.index('data-kind="meeting_no_show"') :]
    respond = f"/p/{world.process.pk}/respond/"
    assert f'href="{respond}"' in item[: item.index("</li>")]
    page = client.get(respond).content.decode()
    assert "Talk it through as a group" in page and "supervision group" in page
    assert f'href="/g/{world.groups["contact"].pk}/notes/new/"' in page
    assert client_for(world, "outsider").get(respond).status_code == 404


def test_the_same_thing_is_listed_once() -> None:
    process = Process(name="P")
    day = datetime.date(2026, 5, 1)
    alert = rules.Alert(rules.CONTACT_OVERDUE, uuid.uuid4(), day, rules.OVERDUE)
    later = rules.Alert(rules.CONTACT_OVERDUE, alert.process, day.replace(day=9), rules.SOON)
    other = rules.Alert(rules.REPORT_DUE, alert.process, day, rules.OVERDUE)
    items = [attention.Item(a, process, "/", False) for a in (alert, later, other)]
    assert [item.alert for item in attention._once(items)] == [alert, other]


def test_an_agreements_breaches_lead_to_the_page_that_says_what_to_do(world: World) -> None:
    own, _other = add_records(world)
    client = client_for(world, "contact-member")
    respond = f'href="/p/{world.process.pk}/respond/"'
    assert respond not in client.get(f"/a/{own.agreement.pk}/").content.decode()
    commitments.record_breach(
        own.agreement,
        by=world.personas["contact-member"],
        happened_on=timezone.localdate(),
        reported_by="Y.",
        what="He came on her day.",
        severity="serious",
        response="",
    )
    assert respond in client.get(f"/a/{own.agreement.pk}/").content.decode()
