"""The consent round: who answers, reasons for objecting and blocking, the
deadline, the frozen outcome and a later decision that replaces it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from holdspace.decisions import services
from holdspace.decisions.models import Answer, Decision
from holdspace.decisions.tests.helpers import decide, propose
from holdspace.processes.services import Refused
from holdspace.testing import World, assert_refused, client_for
from holdspace.testing.commitments import soon
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db

REASON_NEEDED = "Please say why you object or block"


def _checked(page: bytes, value: str) -> bool:
    return re.search(rf'value="{value}"[^>]*checked'.encode(), page) is not None


@pytest.mark.parametrize("choice", ["object", "block"])
def test_it_refuses_objecting_or_blocking_without_a_reason(world: World, choice: str) -> None:
    decision = propose(world, options=["A letter", "A call"])
    option = decision.options.get(position=2)
    client = client_for(world, "contact-member")
    url = f"/dc/{decision.pk}/answer/"
    data = {"answer": choice, "reason": "   ", "preferred": option.pk}
    response = assert_refused(client, url, data, REASON_NEEDED)
    assert response.status_code == 200
    # What they chose stays chosen, so they only add the reason.
    assert _checked(response.content, choice)
    assert _checked(response.content, str(option.pk))
    assert not Answer.objects.filter(decision=decision).exists()


def test_objecting_with_a_reason_is_shown_to_every_reader(world: World) -> None:
    decision = propose(world, asked=["support"])
    client = client_for(world, "support-member")
    response = client.post(
        f"/dc/{decision.pk}/answer/", {"answer": "object", "reason": "Too early."}
    )
    assert response.status_code == 302
    page = client_for(world, "contact-member").get(f"/dc/{decision.pk}/").content.decode()
    assert "Too early." in page and "I object" in page
    # The page says who has not answered yet.
    not_yet = page.split("Not answered yet:")[1].split("</p>")[0]
    assert "contact-member" in not_yet and "support-member" not in not_yet


def test_answers_change_until_the_deadline_and_never_after(world: World) -> None:
    decision = propose(world)
    client = client_for(world, "contact-member")
    url = f"/dc/{decision.pk}/answer/"
    assert client.post(url, {"answer": "agree", "reason": ""}).status_code == 302
    assert client.post(url, {"answer": "abstain", "reason": "Unsure."}).status_code == 302
    answer = Answer.objects.get(decision=decision)
    assert (answer.answer, answer.changes) == ("abstain", 1)
    Decision.objects.filter(pk=decision.pk).update(deadline=soon(-1))
    response = assert_refused(
        client, url, {"answer": "block", "reason": "No."}, "The time to answer ended"
    )
    assert response.status_code == 200
    assert Answer.objects.get(decision=decision).answer == "abstain"
    page = client.get(f"/dc/{decision.pk}/").content.decode()
    assert "The time to answer ended" in page
    assert 'action="/dc/' + str(decision.pk) + '/answer/"' not in page


def test_the_outcome_is_frozen_once_recorded(world: World) -> None:
    decision = propose(world)
    client = client_for(world, "contact-member")
    url = f"/dc/{decision.pk}/outcome/"
    form = client.get(url)
    assert form.status_code == 200
    outcome = {
        "result": "adopted",
        "outcome": "We write to him.",
        "outcome_reasons": "Nobody objected.",
        "participants": [world.personas["contact-member"].pk],
        "decided_on": timezone.localdate().isoformat(),
        "review_on": soon(60).isoformat(),
    }
    assert client.post(url, outcome).status_code == 302
    again = {**outcome, "result": "not_adopted", "outcome": "Something else."}
    assert_refused(client, url, again, "The outcome was already recorded")
    with using(world.keyring):
        decision.refresh_from_db()
        assert (decision.result, decision.outcome) == ("adopted", "We write to him.")
    # Its page no longer offers to record it, nor to answer.
    assert client.get(url).status_code == 302
    page = client.get(f"/dc/{decision.pk}/").content.decode()
    assert "Nobody objected." in page and "Record the outcome" not in page


def test_the_day_it_was_decided_is_never_in_the_future(world: World) -> None:
    decision = propose(world)
    client = client_for(world, "contact-member")
    data = {
        "result": "adopted",
        "outcome": "We write to him.",
        "outcome_reasons": "Nobody objected.",
        "decided_on": soon(1).isoformat(),
    }
    assert_refused(
        client, f"/dc/{decision.pk}/outcome/", data, "Choose today or a day in the past."
    )


def test_a_later_decision_replaces_it_and_each_links_to_the_other(world: World) -> None:
    first = propose(world)
    decide(world, first)
    client = client_for(world, "contact-member")
    proposal = {
        "topic": "general",
        "proposal": "We stop writing and call instead.",
        "reasons": "Letters go unanswered.",
        "deadline": soon(7).isoformat(),
        "proposed_on": timezone.localdate().isoformat(),
    }
    assert client.post(f"/dc/{first.pk}/replace/", proposal).status_code == 302
    later = Decision.objects.get(replaces=first)
    # Until it is adopted, the first one still stands.
    page = client.get(f"/dc/{first.pk}/").content.decode()
    assert "A proposal to replace it is open." in page
    decide(world, later)
    first_page = client.get(f"/dc/{first.pk}/").content.decode()
    assert "This decision was replaced by a later one." in first_page
    assert f'href="/dc/{later.pk}/"' in first_page
    later_page = client.get(f"/dc/{later.pk}/").content.decode()
    assert "This decision replaces an earlier one" in later_page
    assert f'href="/dc/{first.pk}/"' in later_page
    # It is replaced once; the list shows it among the replaced.
    with using(world.keyring), pytest.raises(Refused):
        services.propose(
            author=world.personas["contact-member"],
            group=world.groups["contact"],
            proposal=services.Proposal("general", "Again.", "", soon(7)),
            replaces=first,
        )
    listing = client.get(f"/p/{world.process.pk}/decisions/").content.decode()
    assert "Replaced by a later decision" in listing


def test_only_the_asked_groups_read_and_answer_S45(world: World) -> None:
    decision = propose(world, asked=["support"])
    for persona in ("supervision-member", "support_team-coordinator", "survivor", "portal"):
        client = client_for(world, persona)
        assert client.get(f"/dc/{decision.pk}/").status_code == 404, persona
        answer = {"answer": "agree", "reason": ""}
        assert client.post(f"/dc/{decision.pk}/answer/", answer).status_code == 404, persona
        listing = client.get(f"/p/{world.process.pk}/decisions/")
        assert str(decision.pk).encode() not in listing.content, persona
    response = client_for(world, "support-member").post(
        f"/dc/{decision.pk}/answer/", {"answer": "agree", "reason": ""}
    )
    assert response.status_code == 302
    assert Answer.objects.get(decision=decision).group == world.groups["support"]


def test_a_proposal_sent_twice_is_saved_once_S52(world: World) -> None:
    client = client_for(world, "contact-member")
    url = f"/p/{world.process.pk}/decisions/new/"
    token = re.search(rb'name="submission" value="([^"]+)"', client.get(url).content)
    assert token is not None
    data = {
        "topic": "general",
        "proposal": "We meet in a public place.",
        "reasons": "",
        "deadline": soon(7).isoformat(),
        "proposed_on": timezone.localdate().isoformat(),
        "submission": token.group(1).decode(),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Decision.objects.filter(author=world.personas["contact-member"]).count() == 1


def test_a_whom_to_inform_decision_needs_both_questions_answered(world: World) -> None:
    client = client_for(world, "contact-member")
    meeting_free = {
        "topic": "inform",
        "proposal": "We tell his choir.",
        "inform_whom": "His choir",
        "trust_built": "yes",
        "criteria_reasoning": "",
        "deadline": soon(7).isoformat(),
        "proposed_on": timezone.localdate().isoformat(),
    }
    url = f"/p/{world.process.pk}/decisions/new/"
    response = assert_refused(client, url, meeting_free, "Please answer this question", "His choir")
    assert response.status_code == 200
    done = {**meeting_free, "gaining_power": "unsure", "criteria_reasoning": "They trust him."}
    assert client.post(url, done).status_code == 302
    decision = Decision.objects.get(topic="inform")
    page = client.get(f"/dc/{decision.pk}/").content.decode()
    assert "His choir" in page and "They trust him." in page
    assert "Is he gaining social or political power there?" in page
