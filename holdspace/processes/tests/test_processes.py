"""Starting a process, its overview, settings, hand-overs and audit log."""

from __future__ import annotations

import pytest
from django.test import Client

from holdspace.audit import services as audit
from holdspace.processes.models import Event, Group, Membership, Process, Responsibility
from holdspace.testing import World, client_for, database_snapshot, make_user, sign_in

pytestmark = pytest.mark.django_db


NEW_PROCESS = {
    "name": "Process Rowan",
    "started_on": "2026-10-01",
    "harmed_term": "person_harmed",
    "harming_term": "perpetrator",
    "harmed_pseudonym": "R.",
    "harming_pseudonym": "Q",
    "group_kind": "support",
    "group_name": "Rowan support",
    "commitment_until": "2027-12-01",
}


@pytest.fixture
def starter(client: Client) -> Client:
    """Signed in as an account the administrator allowed to start processes."""
    sign_in(client, make_user("alice", may_start_processes=True))
    return client


def test_starting_a_process_makes_you_coordinator_of_its_first_group(starter: Client) -> None:
    signed_in = starter
    response = signed_in.post("/processes/new/", NEW_PROCESS)
    process = Process.objects.latest("created_at")
    assert response["Location"] == f"/p/{process.pk}/"
    group = process.groups.get()
    membership = group.memberships.get()
    assert membership.role == Membership.Role.COORDINATOR
    assert membership.user.username == "alice"
    # A support group takes on supporting the person harmed and the demands.
    assert set(Responsibility.objects.filter(group=group).values_list("kind", flat=True)) == {
        "survivor_support",
        "demands",
    }
    page = signed_in.get(response["Location"]).content
    assert b"Process Rowan" in page
    # The process's own words appear on its pages.
    assert b"Person harmed" in page and b"Perpetrator" in page
    assert b"The process was started" in page


def test_bad_input_keeps_what_was_typed_and_creates_nothing_S43(starter: Client) -> None:
    before = database_snapshot()
    response = starter.post("/processes/new/", {**NEW_PROCESS, "started_on": "soon", "name": ""})
    assert response.status_code == 200
    assert b"Please fill this in." in response.content
    assert b"Please give a date as year-month-day" in response.content
    assert b'value="Rowan support"' in response.content
    assert database_snapshot() == before


def test_the_process_page_lists_groups_but_not_their_contents(world: World) -> None:
    client = client_for(world, "contact-member")
    page = client.get(f"/p/{world.process.pk}/").content
    for group in world.groups.values():
        assert group.name.encode() in page
    page += client.get(f"/p/{world.process.pk}/timeline/").content
    assert b"contact note" in page
    assert b"support note" not in page and b"supervision note" not in page


def test_a_coordinator_adds_a_group_and_coordinates_it(world: World) -> None:
    client = client_for(world, "support-coordinator")
    response = client.post(
        f"/p/{world.process.pk}/groups/new/",
        {"kind": "contact", "name": "New contact group", "purpose": "Keep in touch."},
    )
    group = Group.objects.latest("created_at")
    assert response["Location"] == f"/g/{group.pk}/"
    assert group.memberships.get().user == world.personas["support-coordinator"]
    # Every group learns that the group exists.
    assert Event.objects.filter(code="group.added", audience__group=world.groups["custom"]).exists()


def test_a_task_is_handed_over_and_both_groups_see_it(world: World) -> None:
    # As at the start of a process: the support group still keeps contact.
    Responsibility.objects.filter(process=world.process, kind="contact").update(
        group=world.groups["support"]
    )
    client = client_for(world, "support-coordinator")
    response = client.post(
        f"/p/{world.process.pk}/hand-over/?task=contact",
        {"group": world.groups["contact"].pk, "kinds": ["contact"], "reason": "New group."},
    )
    assert response["Location"] == f"/p/{world.process.pk}/"
    assert (
        Responsibility.objects.get(process=world.process, kind="contact").group
        == (world.groups["contact"])
    )
    event = Event.objects.get(code="responsibility.moved")
    assert set(event.audience_groups.all()) == {world.groups["support"], world.groups["contact"]}
    timeline = client_for(world, "contact-member").get(f"/p/{world.process.pk}/timeline/").content
    assert "contact with the person who caused harm”".encode() in timeline
    assert b"moved from Willow support group to Willow contact group" in timeline


def test_a_task_cannot_go_to_a_group_of_another_process(world: World) -> None:
    client = client_for(world, "contact-coordinator")
    response = client.post(
        f"/p/{world.process.pk}/hand-over/?task=contact",
        {"group": world.other_groups["contact"].pk, "reason": "New group."},
    )
    assert response.status_code == 200
    assert b"This option is not available any more." in response.content
    assert (
        Responsibility.objects.get(process=world.process, kind="contact").group
        == (world.groups["contact"])
    )


def test_settings_change_the_words_used(world: World) -> None:
    client = client_for(world, "contact-coordinator")
    response = client.post(
        f"/p/{world.process.pk}/settings/",
        {
            "name": "Process Willow",
            "started_on": "2025-01-01",
            "harmed_term": "victim",
            "harming_term": "perpetrator",
            "status": "paused",
            "version": world.process.version,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/p/{world.process.pk}/").content
    assert b"Victim" in page and b"Perpetrator" in page and b"paused" in page


def test_stale_settings_are_refused_S38(world: World) -> None:
    client = client_for(world, "contact-coordinator")
    data = {
        "name": "Renamed",
        "started_on": "2025-01-01",
        "harmed_term": "victim",
        "harming_term": "perpetrator",
        "status": "active",
        "version": world.process.version,
    }
    client.post(f"/p/{world.process.pk}/settings/", data)
    stale = client.post(f"/p/{world.process.pk}/settings/", {**data, "name": "Renamed again"})
    assert b"This was changed meanwhile" in stale.content
    world.process.refresh_from_db()
    assert world.process.name == "Renamed"


def test_pseudonyms_are_changed_by_coordinators(world: World) -> None:
    client = client_for(world, "support-coordinator")
    client.post(f"/p/{world.process.pk}/parties/harming/", {"pseudonym": "Y", "version": 1})
    assert b"<dd>Y" in client.get(f"/p/{world.process.pk}/").content
    stale = client.post(f"/p/{world.process.pk}/parties/harming/", {"pseudonym": "Z", "version": 1})
    assert b"This was changed meanwhile" in stale.content
    assert b"<dd>Y" in client.get(f"/p/{world.process.pk}/").content


def test_a_stale_group_edit_is_refused_S38(world: World) -> None:
    client = client_for(world, "contact-coordinator")
    group = world.groups["contact"]
    data = {"name": "Contact circle", "purpose": "", "version": group.version}
    assert client.post(f"/g/{group.pk}/edit/", data)["Location"] == f"/g/{group.pk}/"
    stale = client.post(f"/g/{group.pk}/edit/", {**data, "name": "Something else"})
    assert b"This was changed meanwhile" in stale.content
    assert b'value="Something else"' in stale.content  # what was typed is kept
    group.refresh_from_db()
    assert group.name == "Contact circle"


def test_the_audit_log_shows_the_coordinators_part_only(world: World) -> None:
    support, contact = world.groups["support"], world.groups["contact"]
    pid = world.process.pk
    audit.log(
        "group.updated", user=world.personas["support-member"], process_id=pid, group_id=support.pk
    )
    audit.log(
        "group.updated", user=world.personas["contact-member"], process_id=pid, group_id=contact.pk
    )
    audit.log("process.updated", user=world.personas["contact-member"], process_id=pid)
    page = client_for(world, "support-coordinator").get(f"/p/{pid}/audit/").content
    assert page.count(b"changed a group&#x27;s name or purpose") == 1
    assert b"support-member" in page
    assert b"contact-member" not in page
    assert b"someone from another group" in page
    assert b"changed the process settings" in page


def test_a_dashboard_lists_my_processes_and_roles(world: World) -> None:
    page = client_for(world, "contact-coordinator").get("/dashboard/").content
    assert b"Process Willow" in page and b"coordinator" in page
    assert b"Process Birch" not in page
    assert b"Process Willow" not in client_for(world, "outsider").get("/dashboard/").content


def test_an_admin_sees_no_process(world: World) -> None:
    make_user("second-admin", is_instance_admin=True)
    client = client_for(world, "admin")
    assert b"Process Willow" not in client.get("/dashboard/").content
    assert client.get(f"/p/{world.process.pk}/").status_code == 404
    assert b"Willow" not in client.get("/instance/").content
