"""Who may be told (C8): an informing during an embargo, or outside the
survivor's side's consent, is not recorded as carried out before they
approve it; only they approve, a decline says why, and the pages say so
before anyone acts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.circle import access, rules, services
from holdspace.circle.models import Approval, Consent, Informing
from holdspace.circle.tests.helpers import consent, day, informing, person
from holdspace.processes.services import Refused
from holdspace.testing import World, assert_refused, client_for
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db

CARRY_OUT = {"outcome": "carried_out", "reaction": "She listened.", "followed": ""}


def _status(record: Informing) -> str:
    return Informing.objects.get(pk=record.pk).status


def test_an_informing_during_an_embargo_waits_for_the_survivors_side(world: World) -> None:
    consent(world, embargo_until=day(10))  # the letter for everyone, but nobody before day 10
    network = person(world)
    planned = informing(world, network)
    assert access.embargo_until(world.process) == day(10)
    assert [n.code for n in services.needs_for(planned)] == [rules.EMBARGO]
    # Asked at once, and they can read it to decide.
    assert planned.approvals.get().status == Approval.Status.PENDING
    assert world.groups["support"] in planned.audience_groups.all()

    contact = client_for(world, "contact-member")
    page = contact.get(reverse("hs-informing", args=[planned.pk])).content.decode()
    assert "The survivor's side must approve this first" in page  # said before anyone acts
    assert "nobody else may be told before" in page
    url = reverse("hs-informing-outcome", args=[planned.pk])
    assert_refused(contact, url, CARRY_OUT, "needs the approval of the survivor", "She listened.")
    assert _status(planned) == Informing.Status.PLANNED

    support = client_for(world, "support-member")
    approval = reverse("hs-informing-approval", args=[planned.pk])
    response = support.post(approval, {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    assert contact.post(url, CARRY_OUT).status_code == 302
    assert _status(planned) == Informing.Status.CARRIED_OUT
    page = contact.get(reverse("hs-informing", args=[planned.pk])).content.decode()
    assert "She listened." in page


def test_outside_the_consent_needs_approval_and_within_it_does_not(world: World) -> None:
    consent(world, may_know=Consent.Scope.PROCESS)  # that a process exists: not the letter
    network = person(world)
    with_letter = informing(world, network)
    assert [n.code for n in services.needs_for(with_letter)] == [rules.OUTSIDE]
    by_word = informing(world, network, material=Informing.Material.NOTHING)
    assert services.needs_for(by_word) == []
    assert not by_word.approvals.exists()
    contact = client_for(world, "contact-member")
    url = reverse("hs-informing-outcome", args=[by_word.pk])
    assert contact.post(url, CARRY_OUT).status_code == 302
    assert _status(by_word) == Informing.Status.CARRIED_OUT


def test_without_any_consent_every_informing_needs_approval(world: World) -> None:
    planned = informing(world, person(world), material=Informing.Material.NOTHING)
    assert [n.code for n in services.needs_for(planned)] == [rules.NO_CONSENT]


def test_a_person_with_a_consent_of_their_own_may_be_told_during_an_embargo(world: World) -> None:
    network = person(world)
    consent(world, embargo_until=day(10), may_know=Consent.Scope.NOTHING)
    consent(world, whom=network, may_know=Consent.Scope.PERSPECTIVE)
    assert services.needs_for(informing(world, network)) == []
    assert services.needs_for(informing(world, person(world))) != []


def test_the_embargo_ends_on_its_day_and_a_plan_for_afterwards_needs_no_approval(
    world: World,
) -> None:
    consent(world, embargo_until=day(10))
    assert access.embargo_until(world.process, day(9)) == day(10)
    assert access.embargo_until(world.process, day(10)) is None
    later = informing(world, person(world), occurred_on=day(12))
    assert not later.approvals.exists()
    # Carried out early, during the embargo, it is refused on the day it happened.
    with using(world.keyring), pytest.raises(Refused):
        services.record_outcome(
            later,
            by=world.personas["contact-member"],
            outcome=Informing.Status.CARRIED_OUT,
            happened_on=day(0),
        )
    assert _status(later) == Informing.Status.PLANNED


def test_it_cannot_be_written_down_as_already_done_without_approval(world: World) -> None:
    consent(world, embargo_until=day(10))
    network = person(world)
    client = client_for(world, "contact-member")
    data = {
        "status": "carried_out",
        "occurred_on": day(0).isoformat(),
        "told_by": "Two of us, unasked",
        "channel": "in_person",
        "material": "letter",
    }
    assert_refused(
        client,
        reverse("hs-informing-new", args=[network.pk]),
        data,
        "Save it as planned",
        "Two of us, unasked",
    )
    form = client.get(reverse("hs-informing-new", args=[network.pk])).content.decode()
    assert "nobody else may be told before" in form  # the rule, before anyone acts


def test_only_the_survivors_side_approves(world: World) -> None:
    consent(world, embargo_until=day(10))
    planned = informing(world, person(world))
    url = reverse("hs-informing-approval", args=[planned.pk])
    for persona in ("contact-member", "contact-coordinator", "supervision-member"):
        client = client_for(world, persona)
        assert client.get(url).status_code == 404, persona
        assert client.post(url, {"decision": "approve"}).status_code == 404, persona
    with using(world.keyring), pytest.raises(Refused, match="survivor's side"):
        services.decide_approval(planned, by=world.personas["contact-coordinator"], approve=True)
    assert planned.approvals.get().status == Approval.Status.PENDING


def test_a_decline_needs_a_reason_which_the_asking_group_reads(world: World) -> None:
    consent(world, embargo_until=day(10))
    planned = informing(world, person(world))
    support = client_for(world, "support-member")
    url = reverse("hs-informing-approval", args=[planned.pk])
    assert_refused(support, url, {"decision": "decline", "reason": " "}, "Please say why")
    reason = "Not before she has moved."
    assert support.post(url, {"decision": "decline", "reason": reason}).status_code == 302
    page = client_for(world, "contact-member").get(reverse("hs-informing", args=[planned.pk]))
    assert reason in page.content.decode()
    outcome = reverse("hs-informing-outcome", args=[planned.pk])
    assert_refused(client_for(world, "contact-member"), outcome, CARRY_OUT, "needs the approval")
    # The group may ask again; calling it off needs nobody's approval.
    ask = reverse("hs-informing-ask", args=[planned.pk])
    assert client_for(world, "contact-member").post(ask).status_code == 302
    assert planned.approvals.filter(status=Approval.Status.PENDING).count() == 1
    off = {"outcome": "dropped", "reaction": "", "followed": ""}
    assert client_for(world, "contact-member").post(outcome, off).status_code == 302
    assert _status(planned) == Informing.Status.DROPPED


def test_only_the_survivors_side_writes_consent(world: World) -> None:
    support, contact = world.groups["support"], world.groups["contact"]
    data = {"whom": "everyone", "may_know": "letter", "comment": "", "share_with": [contact.pk]}
    for persona in ("contact-coordinator", "contact-member"):
        client = client_for(world, persona)
        assert client.get(reverse("hs-consent-new", args=[contact.pk])).status_code == 404
        assert client.post(reverse("hs-consent-new", args=[support.pk]), data).status_code == 404
    with using(world.keyring), pytest.raises(Refused):
        services.give_consent(
            author=world.personas["contact-coordinator"], group=contact, may_know="everything"
        )
    assert not Consent.objects.exists()
    client = client_for(world, "support-member")
    assert client.post(reverse("hs-consent-new", args=[support.pk]), data).status_code == 302
    assert Consent.objects.get().may_know == Consent.Scope.LETTER
    # Who may be told reaches the groups doing the informing.
    page = client_for(world, "contact-member").get(reverse("hs-circle", args=[world.process.pk]))
    assert "the letter" in page.content.decode()


def test_a_double_submit_makes_one_person(world: World) -> None:
    import re

    client = client_for(world, "contact-member")
    url = reverse("hs-person-new", args=[world.groups["contact"].pk])
    token = re.search(r'name="submission" value="([^"]+)"', client.get(url).content.decode())
    assert token is not None
    data = {
        "relation": "friend",
        "name": "R.",
        "relation_note": "",
        "stance": "hostile",
        "may_contact": "no",
        "submission": token.group(1),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    from holdspace.circle.models import Person

    assert Person.objects.count() == 1
