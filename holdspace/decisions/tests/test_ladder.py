"""The consequence ladder: agreed in advance, a trigger opens exactly one
draft with the next step, the alert leads to it, and nobody is told."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from holdspace.decisions import services
from holdspace.decisions.models import Decision, NonCooperation
from holdspace.decisions.tests.helpers import agreed_ladder, decide, missed_meeting, propose
from holdspace.processes.services import change_audience
from holdspace.testing import World, client_for
from holdspace.testing.commitments import soon
from holdspace.vault.keyring import using
from holdspace.watch.tick import tick

pytestmark = pytest.mark.django_db


def _drafts() -> list[Decision]:
    return list(Decision.objects.filter(status=Decision.Status.DRAFT))


def test_a_missed_meeting_opens_exactly_one_draft_with_the_next_step(world: World) -> None:
    ladder = agreed_ladder(world)
    meeting = missed_meeting(world)
    tick()
    tick()
    (draft,) = _drafts()
    assert draft.topic == Decision.Topic.RESPOND
    assert draft.ladder_kind == NonCooperation.MISSED_MEETINGS
    assert draft.ladder_position == 1 and draft.from_ladder == ladder
    assert [r.pk for r in draft.about.all()] == [meeting.pk]
    # Addressed to the group only: nobody else reads it, nobody was told.
    assert [g.pk for g in draft.audience_groups.all()] == [world.groups["contact"].pk]
    assert client_for(world, "support-member").get(f"/dc/{draft.pk}/").status_code == 404
    # The no-show alert on the dashboard leads to it.
    dashboard = client_for(world, "contact-member").get("/dashboard/").content.decode()
    assert "did not come to the meeting" in dashboard
    assert f'href="/dc/{draft.pk}/"' in dashboard
    # Opened by a member, its form holds the agreed step.
    prepare = client_for(world, "contact-member").get(f"/dc/{draft.pk}/prepare/")
    assert "Write to him." in prepare.content.decode()


def test_two_ticks_at_once_open_one_draft(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two servers that both saw no draft yet: the unique trigger decides."""
    ladder = agreed_ladder(world)
    missed_meeting(world)
    tick()
    monkeypatch.setattr(services, "_already", lambda trigger: False)
    (draft,) = _drafts()
    with using(world.keyring):
        again = services.prepare_from_ladder(
            ladder,
            kind=NonCooperation.MISSED_MEETINGS,
            about=None,
            trigger=str(draft.trigger),
            today=timezone.localdate(),
        )
    assert again is None
    assert len(_drafts()) == 1


def test_the_next_trigger_opens_the_next_step(world: World) -> None:
    agreed_ladder(world)
    missed_meeting(world, days_ago=20)
    tick()
    (first,) = _drafts()
    client = client_for(world, "contact-member")
    proposal = {"topic": "respond", "proposal": "Write to him.", "reasons": "", "options": ""}
    response = client.post(
        f"/dc/{first.pk}/prepare/", {**proposal, "deadline": soon(7).isoformat()}
    )
    assert response.status_code == 302
    decide(world, Decision.objects.get(pk=first.pk))
    missed_meeting(world, days_ago=2)
    tick()
    (second,) = _drafts()
    assert second.ladder_position == 2
    page = client.get(f"/p/{world.process.pk}/ladder/").content.decode()
    assert "done" in page and "prepared, not yet asked" in page


def test_no_draft_without_an_agreed_ladder(world: World) -> None:
    ladder = agreed_ladder(world)
    with using(world.keyring):
        # Changed since it was agreed: it must be agreed again first.
        services.write_ladder(
            world.groups["contact"],
            by=world.personas["contact-coordinator"],
            steps={NonCooperation.MISSED_MEETINGS: ["Something else."]},
            expected_version=ladder.version,
            ladder=ladder,
        )
    missed_meeting(world)
    tick()
    assert _drafts() == []
    page = client_for(world, "contact-member").get(f"/p/{world.process.pk}/ladder/")
    assert "The steps changed after the group agreed them" in page.content.decode()


def test_the_ladder_is_agreed_through_a_decision_of_its_group(world: World) -> None:
    client = client_for(world, "contact-member")
    group = world.groups["contact"]
    steps = {"missed_meetings": "A reminder.\nA letter.", "breach": "Talk to him."}
    assert client.post(f"/g/{group.pk}/ladder/new/", steps).status_code == 302
    page = client.get(f"/p/{world.process.pk}/ladder/").content.decode()
    assert "not agreed yet" in page and "A letter." in page
    from holdspace.decisions.models import Ladder

    ladder = Ladder.objects.get(keeper=group)
    response = client.post(f"/ld/{ladder.pk}/agree/")
    draft = Decision.objects.get(topic=Decision.Topic.LADDER)
    assert response["Location"] == f"/dc/{draft.pk}/prepare/"
    prepared = client.get(response["Location"]).content.decode()
    assert "A reminder." in prepared and "Talk to him." in prepared
    data = {"topic": "ladder", "proposal": "As written.", "deadline": soon(7).isoformat()}
    assert client.post(f"/dc/{draft.pk}/prepare/", data).status_code == 302
    decide(world, Decision.objects.get(pk=draft.pk))
    page = client.get(f"/p/{world.process.pk}/ladder/").content.decode()
    assert "The group agreed these steps on" in page


def test_watch_lists_decision_due_and_decision_review_due(world: World) -> None:
    waiting = propose(world, deadline=soon(3))
    decided = propose(world)
    decide(world, decided, review_on=soon(10))
    out = io.StringIO()
    call_command("watch", json=True, stdout=out)
    rows = {(row["kind"], row["due"]) for row in json.loads(out.getvalue())["alerts"]}
    assert ("decision_due", soon(3).isoformat()) in rows
    assert ("decision_review_due", soon(10).isoformat()) in rows
    assert waiting.pk != decided.pk


def test_decision_due_is_for_those_who_have_not_answered(world: World) -> None:
    decision = propose(world, deadline=soon(3))
    words = "please give your answer by"
    member = client_for(world, "contact-member")
    assert words in member.get("/dashboard/").content.decode()
    member.post(f"/dc/{decision.pk}/answer/", {"answer": "agree", "reason": ""})
    assert words not in member.get("/dashboard/").content.decode()
    assert words in client_for(world, "contact-coordinator").get("/dashboard/").content.decode()
    assert words not in client_for(world, "support-member").get("/dashboard/").content.decode()
    # Further away than a week: not yet.
    Decision.objects.filter(pk=decision.pk).update(deadline=soon(8))
    coordinator = client_for(world, "contact-coordinator").get("/dashboard/").content.decode()
    assert words not in coordinator


def test_the_next_step_can_be_prepared_by_hand_once(world: World) -> None:
    """For what the watchdog cannot see (he refuses to meet), the group goes
    on along its ladder by hand: one draft per step, even sent twice; the
    groups that only read the ladder are told they cannot."""
    ladder = agreed_ladder(world)
    url = reverse("hs-ladder-next", args=[ladder.pk])
    member = client_for(world, "contact-member")
    page = member.get(reverse("hs-ladder", args=[world.process.pk])).content.decode()
    assert "Prepare the next step now" in page
    first = member.post(url, {"kind": "missed_meetings"})
    again = member.post(url, {"kind": "missed_meetings"})
    drafts = Decision.objects.filter(from_ladder=ladder, status=Decision.Status.DRAFT)
    assert drafts.count() == 1
    draft = drafts.get()
    assert first["Location"] == again["Location"] == reverse("hs-decision", args=[draft.pk])
    assert draft.ladder_position == 1 and draft.author_group == world.groups["contact"]
    assert set(draft.audience_groups.all()) == {world.groups["contact"]}
    # While it waits, the ladder offers no further step.
    page = member.get(reverse("hs-ladder", args=[world.process.pk])).content.decode()
    assert "Prepare the next step now" not in page
    # Nothing of it for another group, even one that reads the ladder.
    change_audience(
        ladder,
        by=world.personas["contact-coordinator"],
        groups=[world.groups["contact"], world.groups["supervision"]],
        to_harming_party=False,
        to_harmed_party=False,
    )
    outsider = client_for(world, "supervision-member")
    response = outsider.post(url, {"kind": "missed_meetings"}, follow=True)
    assert "Only the group that keeps these steps can prepare them." in response.content.decode()
    assert Decision.objects.filter(from_ladder=ladder, status=Decision.Status.DRAFT).count() == 1


def test_two_missed_meetings_in_a_row_prepare_a_decision_even_without_a_ladder(
    world: World,
) -> None:
    """One missed meeting without agreed steps: the alert leads to the page on
    how groups respond. A second one in a row: a decision is prepared for the
    group to fill in, once."""
    missed_meeting(world, days_ago=40)
    tick()
    assert _drafts() == []
    missed_meeting(world, days_ago=3)
    tick()
    tick()
    drafts = _drafts()
    assert len(drafts) == 1
    draft = drafts[0]
    assert draft.from_ladder is None and draft.ladder_kind == NonCooperation.MISSED_MEETINGS
    assert set(draft.audience_groups.all()) == {world.groups["contact"]}
    page = client_for(world, "contact-member").get("/dashboard/").content.decode()
    assert f'href="{reverse("hs-decision", args=[draft.pk])}"' in page
    prepare = client_for(world, "contact-member").get(
        reverse("hs-decision-prepare", args=[draft.pk])
    )
    assert prepare.status_code == 200
