"""Who may start a process: administrators and the accounts they allow. The
others are told where they are and what comes next, never shown a form they
cannot use; accounts linked to a party never reach it (S44)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from holdspace.processes.models import Process
from holdspace.testing import World, client_for, database_snapshot, make_user, sign_in

pytestmark = pytest.mark.django_db

NEW_PROCESS = {
    "name": "Process Rowan",
    "started_on": "2026-10-01",
    "harmed_term": "survivor",
    "harming_term": "perpetrator",
    "harmed_pseudonym": "R.",
    "harming_pseudonym": "Q",
    "group_kind": "support",
    "group_name": "Rowan support",
    "commitment_until": "",
}
FORM = b'name="group_name"'
OFFER = b"Start a new process"


def _client(**extra: bool) -> Client:
    client = Client()
    sign_in(client, make_user("someone", **extra))
    return client


@pytest.mark.parametrize("extra", [{"is_instance_admin": True}, {"may_start_processes": True}])
def test_it_offers_the_form_to_administrators_and_the_accounts_they_allow(
    extra: dict[str, bool],
) -> None:
    client = _client(**extra)
    assert OFFER in client.get("/dashboard/").content
    assert FORM in client.get("/processes/new/").content
    response = client.post("/processes/new/", NEW_PROCESS)
    assert response["Location"] == f"/p/{Process.objects.get().pk}/"


def test_an_account_without_a_group_is_told_how_it_joins_one() -> None:
    client = _client()
    dashboard = client.get("/dashboard/").content
    assert OFFER not in dashboard and b"You are not in a group yet." in dashboard
    page = client.get("/processes/new/")
    assert page.status_code == 200 and FORM not in page.content
    assert b"invites you with a link" in page.content


def test_a_member_who_may_not_start_one_is_told_who_does(world: World) -> None:
    client = client_for(world, "contact-member")
    assert OFFER not in client.get("/dashboard/").content
    page = client.get("/processes/new/").content
    assert FORM not in page and b"You take part through your groups." in page


def test_a_post_by_an_account_not_allowed_starts_nothing() -> None:
    client = _client()
    before = database_snapshot()
    response = client.post("/processes/new/", NEW_PROCESS)
    assert response.status_code == 200 and FORM not in response.content
    assert database_snapshot() == before


@pytest.mark.parametrize("persona", ["survivor", "portal"])
def test_party_accounts_never_reach_it_even_when_allowed_S44(world: World, persona: str) -> None:
    world.personas[persona].__class__.objects.filter(pk=world.personas[persona].pk).update(
        may_start_processes=True
    )
    client = client_for(world, persona)
    dashboard = client.get("/dashboard/")
    home = {"survivor": reverse("hs-survivor"), "portal": reverse("hs-portal")}[persona]
    assert dashboard["Location"] == home  # their own pages, never the groups' (S44)
    assert OFFER not in client.get(home).content
    assert client.get("/processes/new/").status_code == 404
    assert client.post("/processes/new/", NEW_PROCESS).status_code == 404
    assert Process.objects.count() == 2


def test_a_double_submit_starts_one_process_S52() -> None:
    """The form carries a one-time token: sent twice (a double click, Back
    and send again), it starts one process and leads to it both times."""
    client = _client(may_start_processes=True)
    form = client.get("/processes/new/").content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', form)
    assert token is not None
    data = {**NEW_PROCESS, "submission": token.group(1)}
    first = client.post("/processes/new/", data)
    second = client.post("/processes/new/", data, follow=True)
    process = Process.objects.get()
    assert first["Location"] == second.redirect_chain[0][0] == f"/p/{process.pk}/"
    assert b"This was already saved, so it was not saved twice." in second.content
