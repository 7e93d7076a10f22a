"""The circle's pages: well structured and neutral in their titles; the
overview with honest empty states; the person's history of informings; the
chronology's rows and events; the letter's copies register linking to the
informing that handed a copy over; and only readers see any of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.circle.models import Consent, Informing, Person
from holdspace.circle.tests.helpers import consent, day, duty, informing, person
from holdspace.commitments import services as commitments
from holdspace.processes.services import change_audience
from holdspace.testing import World, assert_pages_well_structured, client_for
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db


def test_every_circle_page_is_well_structured(world: World) -> None:
    given = consent(world, embargo_until=day(10))
    network = person(world)
    planned = informing(world, network)
    told = duty(world, told_on=day(-3))
    by_record = {
        "hs-person": network,
        "hs-person-edit": network,
        "hs-person-stance": network,
        "hs-informing-new": network,
        "hs-informing": planned,
        "hs-informing-edit": planned,
        "hs-informing-outcome": planned,
        "hs-duty": told,
        "hs-duty-edit": told,
        "hs-duty-confirm": told,
        "hs-consent": given,
    }
    urls = [reverse(name, args=[record.pk]) for name, record in by_record.items()]
    urls += [
        reverse(name, args=[world.groups["contact"].pk])
        for name in ("hs-person-new", "hs-duty-new")
    ]
    urls += [reverse("hs-circle", args=[world.process.pk]), f"/p/{world.process.pk}/"]
    urls += [f"/p/{world.process.pk}/timeline/"]
    assert_pages_well_structured(world, urls, ("contact-member", "support-member"))
    survivor_only = [
        reverse("hs-informing-approval", args=[planned.pk]),
        reverse("hs-consent-new", args=[world.groups["support"].pk]),
        reverse("hs-consent-edit", args=[given.pk]),
    ]
    assert_pages_well_structured(world, survivor_only, ("support-member",))


def test_the_overview_says_honestly_when_there_is_nothing(world: World) -> None:
    page = client_for(world, "contact-member").get(reverse("hs-circle", args=[world.process.pk]))
    text = page.content.decode()
    assert "Nobody has been recorded yet" in text
    assert "every informing needs their approval" in text
    assert "Say who may be told what" not in text  # the contact group gives no consent
    support = client_for(world, "support-member").get(reverse("hs-circle", args=[world.process.pk]))
    assert "Say who may be told what" in support.content.decode()


def test_the_overview_shows_people_stance_and_when_they_were_told(world: World) -> None:
    consent(world)  # the letter, for everyone
    network = person(world, stance=Person.Stance.HOSTILE, may_contact=Person.MayContact.NO)
    told = informing(world, network, occurred_on=day(-2))
    client = client_for(world, "contact-member")
    outcome = {"outcome": "carried_out", "reaction": "Angry at first.", "followed": ""}
    assert client.post(reverse("hs-informing-outcome", args=[told.pk]), outcome).status_code == 302
    page = client.get(reverse("hs-circle", args=[world.process.pk])).content.decode()
    assert "The solidarity network" in page
    assert "against the process" in page
    assert "on " in page and reverse("hs-informing", args=[told.pk]) in page
    person_page = client.get(reverse("hs-person", args=[network.pk])).content.decode()
    assert reverse("hs-informing", args=[told.pk]) in person_page
    timeline = client.get(f"/p/{world.process.pk}/timeline/").content.decode()
    assert "An informing: carried out." in timeline
    assert "Angry at first." in timeline


def test_a_stance_change_is_an_event_and_a_stale_form_changes_nothing(world: World) -> None:
    network = person(world)
    client = client_for(world, "contact-member")
    url = reverse("hs-person-stance", args=[network.pk])
    data = {"stance": "supportive", "may_contact": "yes", "version": 1}
    assert client.post(url, data).status_code == 302
    assert Person.objects.get(pk=network.pk).stance == Person.Stance.SUPPORTIVE
    timeline = client.get(f"/p/{world.process.pk}/timeline/").content.decode()
    assert "now “supports the process”" in timeline
    stale = client.post(url, {**data, "stance": "hostile"})  # opened at version 1
    assert stale.status_code == 200
    assert Person.objects.get(pk=network.pk).stance == Person.Stance.SUPPORTIVE


def test_the_letters_copies_lead_to_the_informing_that_handed_one_over(world: World) -> None:
    support = world.personas["support-member"]
    with using(world.keyring):
        letter = commitments.write_letter(
            author=support,
            group=world.groups["support"],
            occurred_on=day(-5),
            title="Our letter",
            body="Our words.",
        )
        copy = commitments.hand_out_copy(
            letter, by=support, recipient="The network", handed_on=day(-1), form="printed"
        )
    consent(world)
    network = person(world)
    told = informing(world, network, material=Informing.Material.LETTER_COPY, letter_copy=copy)
    # The survivor's side cannot read the informing yet: the register says nothing of it.
    page = client_for(world, "support-member").get(reverse("hs-letter", args=[letter.pk]))
    assert reverse("hs-informing", args=[told.pk]) not in page.content.decode()
    with using(world.keyring):
        change_audience(
            told,
            by=world.personas["contact-member"],
            groups=[world.groups["support"]],
            to_harming_party=False,
            to_harmed_party=False,
        )
    page = client_for(world, "support-member").get(reverse("hs-letter", args=[letter.pk]))
    assert reverse("hs-informing", args=[told.pk]) in page.content.decode()
    detail = client_for(world, "support-member").get(reverse("hs-informing", args=[told.pk]))
    assert "copy no. 1" in detail.content.decode()


def test_only_readers_see_people_and_consents(world: World) -> None:
    network = person(world)  # the contact group and the survivor's side
    given = consent(world, whom=network, may_know=Consent.Scope.EVERYTHING)
    for persona in ("supervision-member", "support_team-member"):
        client = client_for(world, persona)
        assert client.get(reverse("hs-person", args=[network.pk])).status_code == 404
        assert client.get(reverse("hs-consent", args=[given.pk])).status_code == 404
        page = client.get(reverse("hs-circle", args=[world.process.pk])).content.decode()
        assert "solidarity network" not in page
    for persona in ("survivor", "portal"):  # party accounts never reach these pages (S44)
        client = client_for(world, persona)
        assert client.get(reverse("hs-circle", args=[world.process.pk])).status_code == 404
        assert client.get(reverse("hs-person", args=[network.pk])).status_code == 404
