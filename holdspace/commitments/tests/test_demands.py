"""Demands belong to the survivor's side: nobody else can change, end or
withdraw one, every wording ever agreed stays visible, and steps towards them
are the person's own tasks."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from holdspace.commitments import services
from holdspace.commitments.access import speaks_for_survivor
from holdspace.commitments.events import Code
from holdspace.commitments.models import Demand, Step, WordingProposal
from holdspace.processes import services as process_services
from holdspace.processes.models import Event
from holdspace.testing import GROUP_KINDS, World, assert_refused, client_for
from holdspace.testing.commitments import soon
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db

ORIGINAL = "Join a programme and finish it."
WEAKER = "Think about seeing someone."
EVERYONE = [f"{kind}-{role}" for kind in GROUP_KINDS for role in ("coordinator", "member")] + [
    "survivor",
    "portal",
    "admin",
    "outsider",
    "anonymous",
]
SURVIVOR_SIDE = {"support-coordinator", "support-member"}
# An approval applies at once: the form asks to confirm it.
CONFIRMED = {"confirmed": "on"}


def _demand(world: World, *, shared_with: tuple[str, ...] = ("contact",)) -> Demand:
    return services.create_demand(
        author=world.personas["support-member"],
        group=world.groups["support"],
        occurred_on=timezone.localdate(),
        wording=ORIGINAL,
        reason="So that he works on it.",
        audience=[world.groups[kind] for kind in shared_with],
    )


def _propose(world: World, demand: Demand, wording: str = WEAKER) -> WordingProposal:
    return services.propose(
        demand,
        by=world.personas["contact-member"],
        group=world.groups["contact"],
        kind=WordingProposal.Kind.REWORD,
        wording=wording,
        reason="He says it is too hard.",
    )


def _every_way_to_weaken(client: Client, demand: Demand, proposal: WordingProposal) -> None:
    base = f"/d/{demand.pk}"
    client.post(f"{base}/wording/", {"wording": WEAKER, "version": demand.version})
    client.post(
        f"{base}/edit/",
        {"occurred_on": "2026-01-01", "reason": "", "wording": WEAKER, "version": demand.version},
    )
    client.post(f"{base}/propose/", {"kind": "reword", "wording": WEAKER, "reason": "Easier."})
    client.post(f"{base}/propose/", {"kind": "withdraw", "wording": "", "reason": "Easier."})
    client.post(f"{base}/proposals/{proposal.pk}/decide/", {"decision": "approve", **CONFIRMED})
    client.post(f"{base}/status/", {"status": "withdrawn", "note": ""})
    client.post(f"{base}/status/", {"status": "met", "note": ""})


def test_only_the_survivors_side_can_change_or_withdraw_a_demand_as_every_role(
    world: World,
) -> None:
    """Done when: the wording cannot change without survivor-side approval,
    tried through every form, as every role."""
    demand = _demand(world, shared_with=tuple(k for k in GROUP_KINDS if k != "support"))
    proposal = _propose(world, demand)
    for persona in EVERYONE:
        with transaction.atomic():
            _every_way_to_weaken(client_for(world, persona), demand, proposal)
            demand.refresh_from_db()
            proposal.refresh_from_db()
            if persona in SURVIVOR_SIDE:
                assert demand.wording == WEAKER, persona
            else:
                assert demand.wording == ORIGINAL, persona
                assert demand.status == Demand.Status.OPEN, persona
                assert demand.wordings.count() == 1, persona
                assert proposal.status == WordingProposal.Status.PENDING, persona
            transaction.set_rollback(True)


def test_a_proposal_changes_nothing_until_the_survivors_side_approves(world: World) -> None:
    demand = _demand(world)
    contact = client_for(world, "contact-member")
    response = contact.post(
        f"/d/{demand.pk}/propose/",
        {"kind": "reword", "wording": WEAKER, "reason": "He cannot find a programme."},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.wording == ORIGINAL
    page = contact.get(f"/d/{demand.pk}/").content.decode()
    assert "Waiting for the survivor" in page and WEAKER in page
    proposal = demand.proposals.get()
    support = client_for(world, "support-coordinator")
    decide = f"/d/{demand.pk}/proposals/{proposal.pk}/decide/"
    assert f'href="{decide}"'.encode() in support.get(f"/d/{demand.pk}/").content
    support.post(
        f"/d/{demand.pk}/proposals/{proposal.pk}/decide/", {"decision": "approve", **CONFIRMED}
    )
    demand.refresh_from_db()
    assert demand.wording == WEAKER
    # The history shows every wording ever agreed, and who proposed the change.
    history = contact.get(f"/d/{demand.pk}/").content.decode()
    assert history.index(ORIGINAL) < history.index("proposed by contact-member")
    assert [w.wording for w in demand.wordings.all()] == [ORIGINAL, WEAKER]
    codes = set(Event.objects.filter(about=demand).values_list("code", flat=True))
    assert codes == {Code.DEMAND_PROPOSAL, Code.DEMAND_WORDING}


def test_a_declined_proposal_leaves_the_demand_and_stays_in_its_history(world: World) -> None:
    demand = _demand(world)
    proposal = _propose(world, demand)
    support = client_for(world, "support-member")
    url = f"/d/{demand.pk}/proposals/{proposal.pk}/decide/"
    support.post(url, {"decision": "decline", "reason": "A programme is what we asked."})
    demand.refresh_from_db()
    proposal.refresh_from_db()
    assert demand.wording == ORIGINAL and proposal.status == WordingProposal.Status.DECLINED
    page = client_for(world, "contact-coordinator").get(f"/d/{demand.pk}/").content.decode()
    assert "Decided proposals" in page and WEAKER in page and "declined" in page
    # The proposers read the decliner's reason, and their own next to it.
    assert "Why it was declined: A programme is what we asked." in page
    assert "Why it was proposed: He says it is too hard." in page
    again = support.post(url, {"decision": "approve"})
    assert b"This proposal was already decided." in again.content
    demand.refresh_from_db()
    assert demand.wording == ORIGINAL


def test_a_decline_asks_for_a_reason_and_keeps_the_proposal_waiting(world: World) -> None:
    demand = _demand(world)
    proposal = _propose(world, demand)
    client = client_for(world, "support-coordinator")
    url = f"/d/{demand.pk}/proposals/{proposal.pk}/decide/"
    response = assert_refused(
        client, url, {"decision": "decline", "reason": "  "}, "Please say why"
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == WordingProposal.Status.PENDING


def test_an_approved_withdrawal_withdraws_the_demand(world: World) -> None:
    demand = _demand(world)
    withdrawal = services.propose(
        demand,
        by=world.personas["contact-member"],
        group=world.groups["contact"],
        kind=WordingProposal.Kind.WITHDRAW,
        wording="",
        reason="It is met in another way.",
    )
    client_for(world, "support-member").post(
        f"/d/{demand.pk}/proposals/{withdrawal.pk}/decide/", {"decision": "approve", **CONFIRMED}
    )
    demand.refresh_from_db()
    assert demand.status == Demand.Status.WITHDRAWN
    assert demand.wording == ORIGINAL


def test_the_history_is_for_the_demands_readers_only(world: World) -> None:
    demand = _demand(world)
    services.reword(demand, by=world.personas["support-member"], wording=WEAKER, expected_version=1)
    for persona in ("support-member", "contact-member", "contact-coordinator"):
        page = client_for(world, persona).get(f"/d/{demand.pk}/").content.decode()
        assert ORIGINAL in page and WEAKER in page, persona
    for persona in ("supervision-coordinator", "support_team-member", "portal", "outsider"):
        client = client_for(world, persona)
        assert client.get(f"/d/{demand.pk}/").status_code == 404, persona
        timeline = client.get(f"/p/{world.process.pk}/timeline/").content.decode()
        assert ORIGINAL not in timeline and WEAKER not in timeline, persona


def test_the_survivors_side_moves_with_the_task(world: World) -> None:
    community = world.personas["community-member"]
    assert not speaks_for_survivor(community, world.process.pk)
    with using(world.keyring):  # the survivor's party key goes with the task
        process_services.move_responsibility(
            world.process,
            "demands",
            to=world.groups["community"],
            by=world.personas["support-coordinator"],
        )
    assert speaks_for_survivor(community, world.process.pk)
    assert not speaks_for_survivor(world.personas["support-member"], world.process.pk)


def test_a_stale_wording_change_is_refused_and_changes_nothing(world: World) -> None:
    demand = _demand(world)
    services.reword(
        demand, by=world.personas["support-member"], wording="Newer.", expected_version=1
    )
    client = client_for(world, "support-coordinator")
    data = {"wording": "Mine.", "version": 1}
    assert_refused(client, f"/d/{demand.pk}/wording/", data, "This was changed meanwhile", "Mine.")


def test_a_proposal_without_a_wording_is_refused(world: World) -> None:
    demand = _demand(world)
    client = client_for(world, "contact-member")
    data = {"kind": "reword", "wording": "", "reason": "Because."}
    message = "Please write the wording you propose."
    assert_refused(client, f"/d/{demand.pk}/propose/", data, message, "Because.")


def test_a_demand_is_written_in_the_survivors_side_and_shared_as_chosen(world: World) -> None:
    client = client_for(world, "support-member")
    page = client.get(f"/g/{world.groups['support'].pk}/demands/new/?template=programme")
    assert b"Therapy alone does not count" in page.content
    response = client.post(
        f"/g/{world.groups['support'].pk}/demands/new/",
        {
            "wording": ORIGINAL,
            "reason": "",
            "occurred_on": "2026-01-01",
            "share_with": [world.groups["contact"].pk],
        },
    )
    demand = Demand.objects.get()
    assert response["Location"] == f"/d/{demand.pk}/"
    assert set(demand.audience_groups.all()) == {world.groups["support"], world.groups["contact"]}
    refused = client_for(world, "contact-coordinator").get(
        f"/g/{world.groups['contact'].pk}/demands/new/"
    )
    assert refused.status_code == 404


def test_a_demand_dated_in_the_future_is_refused(world: World) -> None:
    client = client_for(world, "support-member")
    data = {"wording": ORIGINAL, "reason": "", "occurred_on": "2999-01-01"}
    url = f"/g/{world.groups['support'].pk}/demands/new/"
    assert_refused(client, url, data, "Choose today or a day in the past.", ORIGINAL)


# Steps and evidence ----------------------------------------------------------


def test_a_step_is_his_task_with_a_due_date_and_shows_when_overdue(world: World) -> None:
    demand = _demand(world)
    client = client_for(world, "contact-member")
    page = client.get(f"/d/{demand.pk}/steps/new/?template=programmes_contacted")
    assert b"three programmes" in page.content
    due = soon(10)
    response = client.post(
        f"/d/{demand.pk}/steps/new/",
        {"group": world.groups["contact"].pk, "description": "Send three names.", "due_on": due},
    )
    step = Step.objects.get()
    assert response["Location"] == f"/s/{step.pk}/"
    assert set(step.audience_groups.all()) == {world.groups["support"], world.groups["contact"]}
    assert b"overdue" not in client.get(f"/s/{step.pk}/").content
    later = due + datetime.timedelta(days=1)
    assert services.note_due_dates(later) == 1
    assert services.note_due_dates(later) == 0  # noted once, however often it runs
    timeline = client.get(f"/p/{world.process.pk}/timeline/").content.decode()
    assert "The step “Send three names.” is overdue." in timeline
    Step.objects.filter(pk=step.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert b"overdue" in client.get(f"/s/{step.pk}/").content
    assert b"overdue" in client.get(f"/d/{demand.pk}/").content
    client.post(f"/s/{step.pk}/status/", {"status": "done"})
    step.refresh_from_db()
    assert step.status == Step.Status.DONE and step.closed_on == timezone.localdate()


def test_a_step_agreed_today_cannot_be_due_yesterday(world: World) -> None:
    demand = _demand(world)
    client = client_for(world, "contact-member")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {"group": world.groups["contact"].pk, "description": "Too late.", "due_on": yesterday}
    message = "The due date cannot come before the day the step was agreed"
    assert_refused(client, f"/d/{demand.pk}/steps/new/", data, message, "Too late.")


def test_evidence_is_reported_then_checked_or_disputed(world: World) -> None:
    demand = _demand(world)
    client = client_for(world, "contact-member")
    client.post(
        f"/r/{demand.pk}/evidence/new/",
        {"happened_on": "2026-01-05", "source": "reported", "text": "He had a first talk."},
    )
    evidence = demand.evidence.get()
    assert b"not yet checked" in client.get(f"/d/{demand.pk}/").content
    client.post(
        f"/r/{demand.pk}/evidence/{evidence.pk}/",
        {"assessment": "disputed", "note": "The programme never heard of him.", "version": 1},
    )
    page = client_for(world, "support-member").get(f"/d/{demand.pk}/").content.decode()
    assert "He had a first talk." in page and "disputed" in page
    assert "The programme never heard of him." in page
    url = f"/r/{demand.pk}/evidence/{evidence.pk}/"
    data = {"assessment": "confirmed", "note": "", "version": 1}
    assert_refused(client, url, data, "This was changed meanwhile")


def test_status_changes_are_dated_and_on_the_timeline(world: World) -> None:
    demand = _demand(world)
    client = client_for(world, "contact-coordinator")
    client.post(f"/d/{demand.pk}/status/", {"status": "in_progress", "note": "He started."})
    demand.refresh_from_db()
    assert demand.status == Demand.Status.IN_PROGRESS
    page = client.get(f"/d/{demand.pk}/").content.decode()
    assert "in progress" in page and "He started." in page
    event = Event.objects.get(code=Code.DEMAND_STATUS, about=demand)
    assert event.author_group == world.groups["contact"]
    timeline = client_for(world, "support-member").get(f"/p/{world.process.pk}/timeline/")
    assert f"Demand “{ORIGINAL}”: now in progress.".encode() in timeline.content
    same = client.post(f"/d/{demand.pk}/status/", {"status": "in_progress", "note": ""})
    assert "It is already “in progress”".encode() in same.content


# Ending a demand (DESIGN §6) -------------------------------------------------


def test_the_contact_group_records_his_response_but_cannot_end_a_demand(world: World) -> None:
    demand = _demand(world)
    client = client_for(world, "contact-coordinator")
    page = client.get(f"/d/{demand.pk}/status/").content.decode()
    assert 'value="refused"' in page and 'value="met"' not in page
    assert 'value="withdrawn"' not in page and "Propose that it is met" in page
    for status in ("met", "withdrawn"):
        data = {"status": status, "note": "He did it, he says."}
        assert_refused(
            client, f"/d/{demand.pk}/status/", data, "Propose it to them", "He did it, he says."
        )
    client.post(f"/d/{demand.pk}/status/", {"status": "refused", "note": "He will not."})
    demand.refresh_from_db()
    assert demand.status == Demand.Status.REFUSED


def test_a_demand_proposed_met_is_met_once_the_survivors_side_approves(world: World) -> None:
    demand = _demand(world)
    contact = client_for(world, "contact-member")
    response = contact.post(
        f"/d/{demand.pk}/propose/",
        {"kind": "met", "wording": "", "reason": "The programme confirmed he finished."},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN
    assert "Waiting for the survivor" in contact.get(f"/d/{demand.pk}/").content.decode()
    proposal = demand.proposals.get()
    support = client_for(world, "support-coordinator")
    support.post(
        f"/d/{demand.pk}/proposals/{proposal.pk}/decide/",
        {"decision": "approve", "reason": "We asked the programme too.", **CONFIRMED},
    )
    demand.refresh_from_db()
    assert demand.status == Demand.Status.MET
    change = demand.status_changes.get(status=Demand.Status.MET)
    assert change.changed_by == world.personas["support-coordinator"]
    # Once met, the others can neither reopen it nor propose anything more.
    page = contact.get(f"/d/{demand.pk}/status/").content.decode()
    assert "Only the survivor's side can take an ended demand up again." in page
    assert_refused(contact, f"/d/{demand.pk}/status/", {"status": "open", "note": ""}, "cannot")
    data = {"kind": "reword", "wording": WEAKER, "reason": "Now it is easier."}
    assert_refused(contact, f"/d/{demand.pk}/propose/", data, "Only the survivor", WEAKER)


def test_the_survivors_side_ends_a_demand_and_takes_it_up_again(world: World) -> None:
    demand = _demand(world)
    support = client_for(world, "support-member")
    page = support.get(f"/d/{demand.pk}/status/").content.decode()
    assert 'value="met"' in page and 'value="withdrawn"' in page
    support.post(f"/d/{demand.pk}/status/", {"status": "met", "note": "We saw it."})
    support.post(f"/d/{demand.pk}/status/", {"status": "open", "note": "He stopped again."})
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN
    statuses = list(demand.status_changes.values_list("status", flat=True))
    assert statuses == ["open", "met", "open"]


def test_an_approved_end_of_a_demand_ended_meanwhile_changes_nothing(world: World) -> None:
    demand = _demand(world)
    withdrawal = services.propose(
        demand,
        by=world.personas["contact-member"],
        group=world.groups["contact"],
        kind=WordingProposal.Kind.WITHDRAW,
        wording="",
        reason="It is met in another way.",
    )
    services.change_status(demand, by=world.personas["support-member"], status="met", note="")
    client = client_for(world, "support-coordinator")
    url = f"/d/{demand.pk}/proposals/{withdrawal.pk}/decide/"
    response = assert_refused(
        client, url, {"decision": "approve", "reason": "", **CONFIRMED}, "It is “met”"
    )
    assert response.status_code == 200
    withdrawal.refresh_from_db()
    assert withdrawal.status == WordingProposal.Status.PENDING


def test_a_demand_sent_twice_is_made_once_S52(world: World) -> None:
    client = client_for(world, "support-member")
    url = f"/g/{world.groups['support'].pk}/demands/new/"
    page = client.get(url).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page)
    assert token is not None
    data = {"wording": ORIGINAL, "reason": "", "occurred_on": "2026-01-01"}
    first = client.post(url, {**data, "submission": token.group(1)})
    again = client.post(url, {**data, "submission": token.group(1)}, follow=True)
    demand = Demand.objects.get()
    assert first["Location"] == again.redirect_chain[0][0] == f"/d/{demand.pk}/"
    assert b"This was already saved, so it was not saved twice." in again.content


def test_the_decision_page_shows_the_current_and_the_proposed_wording_side_by_side(
    world: World,
) -> None:
    demand = _demand(world)
    proposal = _propose(world, demand)
    page = client_for(world, "support-member").get(
        f"/d/{demand.pk}/proposals/{proposal.pk}/decide/"
    )
    text = page.content.decode()
    compare = text[text.index('class="compare"') :]
    assert compare.index("Now") < compare.index(ORIGINAL) < compare.index("Proposed")
    assert compare.index("Proposed") < compare.index(WEAKER)
    # Everyone of the survivor's side can be named; the reader is ticked already.
    assert "support-coordinator" in text and "contact-member" not in text
    mine = world.personas["support-member"].pk
    assert re.search(rf'value="{mine}"[^>]*checked', text)


def test_an_approval_asks_to_confirm_and_changes_nothing_without_it(world: World) -> None:
    demand = _demand(world)
    proposal = _propose(world, demand)
    client = client_for(world, "support-coordinator")
    url = f"/d/{demand.pk}/proposals/{proposal.pk}/decide/"
    response = assert_refused(client, url, {"decision": "approve"}, "Please confirm")
    assert response.status_code == 200
    demand.refresh_from_db()
    proposal.refresh_from_db()
    assert demand.wording == ORIGINAL and proposal.status == WordingProposal.Status.PENDING


def test_the_history_names_who_took_part_in_a_decision(world: World) -> None:
    demand = _demand(world)
    proposal = _propose(world, demand)
    member = world.personas["support-member"]
    client_for(world, "support-coordinator").post(
        f"/d/{demand.pk}/proposals/{proposal.pk}/decide/",
        {"decision": "decline", "reason": "Not weaker.", "participants": [str(member.pk)]},
    )
    proposal.refresh_from_db()
    assert proposal.status == WordingProposal.Status.DECLINED
    page = client_for(world, "contact-member").get(f"/d/{demand.pk}/").content.decode()
    assert "Took part in the decision: support-coordinator, support-member" in page


def test_only_members_of_the_survivors_side_can_be_named_as_taking_part(world: World) -> None:
    demand = _demand(world)
    proposal = _propose(world, demand)
    outsider = world.personas["contact-member"]
    data = {"decision": "approve", "participants": [str(outsider.pk)], **CONFIRMED}
    url = f"/d/{demand.pk}/proposals/{proposal.pk}/decide/"
    assert_refused(client_for(world, "support-member"), url, data, "only members of your group")
    with pytest.raises(process_services.Refused):
        services.decide(
            proposal, by=world.personas["support-member"], approve=True, participants=[outsider]
        )
    demand.refresh_from_db()
    assert demand.wording == ORIGINAL and not proposal.participants.exists()
