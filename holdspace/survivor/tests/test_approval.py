"""A change to one of her demands: she approves it (the demand changes, and
members read that the survivor herself approved it) or declines it with a
reason; once only. When she gives approvals herself, her support group
cannot answer for her, unless she paused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from holdspace.audit.models import Entry
from holdspace.commitments import services as commitments
from holdspace.commitments.models import Demand, WordingProposal
from holdspace.processes.services import Refused
from holdspace.survivor.tests.helpers import demand, her_browser, her_party, proposal
from holdspace.testing import World, assert_refused, client_for

pytestmark = pytest.mark.django_db


def _url(waiting: WordingProposal) -> str:
    return reverse("hs-survivor-approval", args=[waiting.pk])


def test_it_shows_what_is_proposed_and_why(world: World) -> None:
    waiting = proposal(
        world, demand(world, "Keep away on Fridays"), wording="Keep away on Fridays and Saturdays"
    )
    page = her_browser(world).get(_url(waiting)).content.decode()
    assert "Keep away on Fridays" in page and "Keep away on Fridays and Saturdays" in page
    assert "The contact group explains its proposal" in page
    assert "Willow contact group" not in page and "contact-member" not in page
    # It waits for her on her home page too.
    home = her_browser(world).get(reverse("hs-survivor")).content.decode()
    assert _url(waiting) in home


def test_she_approves_a_new_wording_and_members_read_it_was_her(world: World) -> None:
    made = demand(world, "Keep away on Fridays")
    waiting = proposal(world, made, wording="Keep away on Fridays and Saturdays")
    response = her_browser(world).post(_url(waiting), {"decision": "approve"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.wording == "Keep away on Fridays and Saturdays"
    waiting.refresh_from_db()
    assert waiting.status == WordingProposal.Status.APPROVED
    assert waiting.decided_by_survivor
    assert waiting.decided_by == world.personas["survivor"]
    assert list(waiting.participants.all()) == []
    survivor = world.personas["survivor"].pk
    assert Entry.objects.filter(action="demand.change_approved", actor_id=survivor).exists()
    page = client_for(world, "contact-member").get(f"/d/{made.pk}/").content.decode()
    assert "approved by the survivor herself" in page
    assert "by the survivor herself" in page  # the wording's history too
    assert ">survivor<" not in page and "(survivor)" not in page


def test_she_approves_an_end_of_a_demand(world: World) -> None:
    made = demand(world, "Write down what happened")
    waiting = proposal(world, made, kind=WordingProposal.Kind.MET)
    her_browser(world).post(_url(waiting), {"decision": "approve"})
    made.refresh_from_db()
    assert made.status == Demand.Status.MET
    page = client_for(world, "support-member").get(f"/d/{made.pk}/").content.decode()
    assert "(the survivor herself)" in page


def test_a_decline_needs_a_reason(world: World) -> None:
    made = demand(world, "Keep away on Fridays")
    waiting = proposal(world, made)
    client = her_browser(world)
    assert_refused(
        client,
        _url(waiting),
        {"decision": "decline", "reason": " "},
        "Please say in a few words why you decline.",
    )
    client.post(_url(waiting), {"decision": "decline", "reason": "It stays as it is."})
    waiting.refresh_from_db()
    assert waiting.status == WordingProposal.Status.DECLINED
    assert waiting.decision_reason == "It stays as it is."
    made.refresh_from_db()
    assert made.wording == "Keep away on Fridays"
    page = client_for(world, "contact-member").get(f"/d/{made.pk}/").content.decode()
    assert "declined by the survivor herself" in page and "It stays as it is." in page


def test_a_second_answer_decides_nothing(world: World) -> None:
    made = demand(world, "Keep away on Fridays")
    waiting = proposal(world, made, wording="Keep away on Fridays and Saturdays")
    client = her_browser(world)
    client.post(_url(waiting), {"decision": "approve"})
    second = client.post(_url(waiting), {"decision": "decline", "reason": "Changed my mind"})
    assert second.status_code == 200
    assert "already decided" in second.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == WordingProposal.Status.APPROVED
    assert made.wordings.count() == 2


def test_when_she_gives_approvals_herself_her_support_group_is_refused(world: World) -> None:
    her_party(world, decides_herself=True)
    made = demand(world, "Keep away on Fridays")
    waiting = proposal(world, made)
    with pytest.raises(Refused, match="chose to give this approval herself"):
        commitments.decide(waiting, by=world.personas["support-member"], approve=True)
    support = client_for(world, "support-member")
    detail = support.get(f"/d/{made.pk}/").content.decode()
    assert "Waiting for the survivor's answer" in detail
    assert reverse("hs-demand-decide", args=[made.pk, waiting.pk]) not in detail
    decide = support.get(reverse("hs-demand-decide", args=[made.pk, waiting.pk])).content.decode()
    assert (
        "Waiting for the survivor's answer" in decide
        and "<form" not in decide.split("<main")[1].split("hs-session-warning")[0]
    )
    waiting.refresh_from_db()
    assert waiting.status == WordingProposal.Status.PENDING
    # What is not addressed to her stays with the support group.
    other = proposal(world, demand(world, "Not shared with her", hers=False))
    commitments.decide(other, by=world.personas["support-member"], approve=False, reason="No.")


def test_during_her_pause_her_support_group_answers(world: World) -> None:
    until = timezone.localdate() + datetime.timedelta(days=30)
    her_party(world, decides_herself=True, paused_until=until)
    waiting = proposal(world, demand(world, "Keep away on Fridays"))
    commitments.decide(waiting, by=world.personas["support-member"], approve=False, reason="No.")
    waiting.refresh_from_db()
    assert waiting.status == WordingProposal.Status.DECLINED
    assert not waiting.decided_by_survivor


def test_a_pause_that_ended_gives_the_approvals_back_to_her(world: World) -> None:
    ended = timezone.localdate() - datetime.timedelta(days=1)
    her_party(world, decides_herself=True, paused_until=ended)
    waiting = proposal(world, demand(world, "Keep away on Fridays"))
    with pytest.raises(Refused):
        commitments.decide(waiting, by=world.personas["support-member"], approve=True)


def test_she_may_answer_while_her_support_group_gives_the_approvals(world: World) -> None:
    her_party(world, decides_herself=False)
    made = demand(world, "Keep away on Fridays")
    waiting = proposal(world, made, wording="Keep away on Fridays and Saturdays")
    her_browser(world).post(_url(waiting), {"decision": "approve"})
    waiting.refresh_from_db()
    assert waiting.status == WordingProposal.Status.APPROVED and waiting.decided_by_survivor


def test_the_service_refuses_her_a_demand_not_addressed_to_her(world: World) -> None:
    her_party(world)
    waiting = proposal(world, demand(world, "Not shared with her", hers=False))
    with pytest.raises(Refused):
        commitments.decide(waiting, by=world.personas["survivor"], approve=True)


def test_no_page_of_the_groups_names_her_account(world: World) -> None:
    """Her username is for logging in: the chronology's pages name her by the
    process's word, wherever her answer left a trace."""
    User = type(world.personas["survivor"])
    User.objects.filter(pk=world.personas["survivor"].pk).update(username="mira-77")
    made = demand(world, "Keep away on Fridays")
    waiting = proposal(world, made, wording="Keep away on Fridays and Saturdays")
    browser = her_browser(world)
    assert browser.post(_url(waiting), {"decision": "approve"}).status_code == 302
    member = client_for(world, "contact-member")
    pages = [member.get(f"/d/{made.pk}/").content.decode()]
    hers = made.events.filter(author=world.personas["survivor"])
    assert hers.exists()
    for event in hers:
        response = member.get(f"/r/{event.pk}/", follow=True)
        pages.append(response.content.decode())
    assert not any("mira-77" in page for page in pages)
