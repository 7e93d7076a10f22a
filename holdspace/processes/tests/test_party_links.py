"""Linking an account to one of the two people the process is about (issue
14): a single-use link from the group that keeps them; the key of their
space goes to the new account, the group keeps its own copy, and the
instance key no longer opens it."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from holdspace.portal.tests.helpers import message
from holdspace.processes.models import Party, PartyInvitation
from holdspace.testing import World, client_for, enrolment_code, make_user, sign_in
from holdspace.vault import compartments
from holdspace.vault.keyring import Keyring
from holdspace.vault.models import Compartment, Grant

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/link/[A-Za-z0-9_-]+/)")


def _his_link(world: World) -> str:
    """A coordinator of the contact group makes a link for his portal."""
    page = client_for(world, "contact-coordinator").post(
        reverse("hs-party-link", args=[world.process.pk, "harming"])
    )
    assert page.status_code == 200
    found = LINK.search(page.content.decode())
    assert found is not None
    return found.group(1)


def _browser(username: str) -> tuple[Client, object]:
    user = make_user(username)
    client = Client()
    sign_in(client, user)
    return client, user


def test_a_link_hands_his_space_to_a_new_account_and_takes_it_from_the_old(
    world: World,
) -> None:
    sent = message(world, "We meet on Tuesday at six.")
    path = _his_link(world)
    client, user = _browser("kay-new")
    start = client.get(path).content.decode()
    assert "Open your own pages" in start
    assert "Willow" not in start and "contact-coordinator" not in start
    response = client.post(path)
    assert response["Location"] == reverse("hs-portal")
    party = Party.objects.get(process=world.process, role=Party.Role.HARMING)
    assert party.account == user and party.linked_on is not None
    # His own key opens what was addressed to him.
    page = client.get(reverse("hs-portal-message", args=[sent.pk])).content.decode()
    assert "We meet on Tuesday at six." in page
    # The account linked before has nothing any more.
    old = world.personas["portal"]
    space = Compartment.objects.get(process=world.process, kind=Compartment.Kind.PORTAL)
    assert not Grant.objects.filter(compartment=space, user=old).exists()
    assert client_for(world, "portal").get(reverse("hs-portal")).status_code == 404
    # The link was used once; the second time it opens nothing.
    other, _user = _browser("kay-again")
    assert "cannot be used" in other.get(path).content.decode()
    assert not PartyInvitation.objects.filter(used_at=None, revoked_at=None).exists()


def test_the_instance_key_alone_no_longer_opens_a_linked_space(world: World) -> None:
    """Before the first link, the key waits under the instance key; from then
    on only the keeping group and the linked account reach it."""
    space = Compartment.objects.get(process=world.process, kind=Compartment.Kind.PORTAL)
    assert space.escrow_key_id is not None
    assert compartments.party_secret(Keyring(), space) is None
    fresh = compartments.party_compartment(world.other_process.pk, Compartment.Kind.PORTAL)
    assert fresh.escrow_key_id is None
    assert compartments.party_secret(Keyring(), fresh) is not None


def test_a_member_of_the_process_cannot_be_linked_and_the_link_stays_usable(
    world: World,
) -> None:
    path = _his_link(world)
    member = client_for(world, "support-member")
    refused = member.post(path, follow=True).content.decode()
    assert "belongs to a member of the process" in refused
    party = Party.objects.get(process=world.process, role=Party.Role.HARMING)
    assert party.account == world.personas["portal"]
    client, _user = _browser("kay-later")
    assert client.post(path)["Location"] == reverse("hs-portal")


def test_a_link_can_be_withdrawn(world: World) -> None:
    path = _his_link(world)
    coordinator = client_for(world, "contact-coordinator")
    page = reverse("hs-party-link", args=[world.process.pk, "harming"])
    waiting = PartyInvitation.objects.get(used_at=None)
    assert "Links not used yet" in coordinator.get(page).content.decode()
    withdraw = reverse("hs-party-link-revoke", args=[world.process.pk, "harming", waiting.pk])
    assert coordinator.post(withdraw).status_code == 302
    client, _user = _browser("kay-too-late")
    assert "cannot be used" in client.get(path).content.decode()


def test_only_the_keeping_groups_coordinators_see_the_link_pages(world: World) -> None:
    his = reverse("hs-party-link", args=[world.process.pk, "harming"])
    hers = reverse("hs-party-link", args=[world.process.pk, "harmed"])
    assert client_for(world, "contact-coordinator").get(his).status_code == 200
    assert client_for(world, "contact-coordinator").get(hers).status_code == 404
    assert client_for(world, "support-coordinator").get(hers).status_code == 200
    assert client_for(world, "support-coordinator").get(his).status_code == 404
    assert client_for(world, "contact-member").get(his).status_code == 404
    overview = client_for(world, "contact-coordinator").get(f"/p/{world.process.pk}/")
    assert his in overview.content.decode() and hers not in overview.content.decode()


def test_he_makes_his_own_account_with_the_link_and_his_pages_open(world: World) -> None:
    """His own username and password, the same two-step log-in as everyone,
    and the way leads back to the link, then to his portal."""
    sent = message(world, "We meet on Tuesday at six.")
    path = _his_link(world)
    client = Client()
    start = client.get(path).content.decode()
    assert "Create a new account" in start
    password = "lantern meadow copper violin"
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        response = client.post(
            f"{path}account/",
            {"username": "kay", "new_password": password, "new_password_again": password},
        )
        assert response["Location"] == "/login/setup/"
        client.get("/login/setup/")
        client.post("/login/setup/", {"code": enrolment_code(client)})
        page = client.get("/account/recovery-key/").content.decode()
        key = re.search(r'class="secret recovery-key"[^>]*>([A-Z2-7-]+)<', page)
        assert key is not None
        client.post("/account/recovery-key/", {"recovery_key": key.group(1)})
        assert f'href="{path}"' in client.get("/safety/").content.decode()
        assert client.post(path)["Location"] == reverse("hs-portal")
        mine = client.get(reverse("hs-portal-message", args=[sent.pk])).content.decode()
    assert "We meet on Tuesday at six." in mine
    linked = Party.objects.get(process=world.process, role=Party.Role.HARMING).account
    assert linked is not None and linked.username == "kay"
    # A link makes at most one account.
    assert "Create a new account" not in Client().get(path).content.decode()
