"""Telling someone about the process, where the survivor's side must approve:
she sees who (by their relation, never a name), when and with what, and
answers; members read that the survivor herself decided. When she gives
approvals herself, her support group cannot answer for her."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from holdspace.circle import services as circle
from holdspace.circle.models import Approval, Informing
from holdspace.processes.services import Refused
from holdspace.survivor.tests.helpers import her_browser, her_party, informing
from holdspace.testing import World, assert_refused, client_for

pytestmark = pytest.mark.django_db


def _url(planned: Informing) -> str:
    return reverse("hs-survivor-informing", args=[planned.pk])


def test_it_shows_who_when_and_what_without_names(world: World) -> None:
    planned = informing(world)
    page = her_browser(world).get(_url(planned)).content.decode()
    assert "Political group" in page and "The letter" in page
    for hidden in ("The solidarity network", "Two of us", "Willow contact group", "contact-member"):
        assert hidden not in page, hidden
    home = her_browser(world).get(reverse("hs-survivor")).content.decode()
    assert _url(planned) in home


def test_she_approves_and_members_read_it_was_her(world: World) -> None:
    planned = informing(world)
    assert her_browser(world).post(_url(planned), {"decision": "approve"}).status_code == 302
    approval = Approval.objects.get(informing=planned)
    assert approval.status == Approval.Status.APPROVED and approval.decided_by_survivor
    page = client_for(world, "contact-member").get(f"/in/{planned.pk}/").content.decode()
    assert "approved by the survivor herself" in page
    assert "(survivor)" not in page


def test_a_decline_needs_a_reason_and_is_given_once(world: World) -> None:
    planned = informing(world)
    client = her_browser(world)
    assert_refused(
        client,
        _url(planned),
        {"decision": "decline", "reason": ""},
        "Please say in a few words why you decline.",
    )
    client.post(_url(planned), {"decision": "decline", "reason": "Not now, please."})
    again = client.post(_url(planned), {"decision": "approve"})
    assert "Nothing waits for your approval here" in again.content.decode()
    approval = Approval.objects.get(informing=planned)
    assert approval.status == Approval.Status.DECLINED
    assert approval.decision_reason == "Not now, please."
    page = client_for(world, "support-member").get(f"/in/{planned.pk}/").content.decode()
    assert "declined by the survivor herself" in page


def test_when_she_gives_approvals_herself_her_support_group_is_refused(world: World) -> None:
    her_party(world, decides_herself=True)
    planned = informing(world)
    with pytest.raises(Refused, match="chose to give this approval herself"):
        circle.decide_approval(planned, by=world.personas["support-member"], approve=True)
    support = client_for(world, "support-member")
    for url in (f"/in/{planned.pk}/", f"/in/{planned.pk}/approval/"):
        page = support.get(url).content.decode()
        assert "Waiting for the survivor's answer" in page, url
    assert (
        f'href="/in/{planned.pk}/approval/"'
        not in support.get(f"/in/{planned.pk}/").content.decode()
    )
    # What is not addressed to her stays with the support group.
    other = informing(world, hers=False)
    circle.decide_approval(other, by=world.personas["support-member"], approve=True)


def test_during_her_pause_her_support_group_answers(world: World) -> None:
    her_party(
        world, decides_herself=True, paused_until=timezone.localdate() + datetime.timedelta(days=7)
    )
    planned = informing(world)
    approval = circle.decide_approval(planned, by=world.personas["support-member"], approve=True)
    assert approval.status == Approval.Status.APPROVED and not approval.decided_by_survivor
