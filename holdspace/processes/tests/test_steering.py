"""Who steers a process (S51): one process-level rule. By default the
coordinators of the survivor's side and of the group carrying contact; a
process can name other groups; the support team of the person who caused
harm never steers. Pausing and closing show on every group's page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from holdspace.audit.models import Entry
from holdspace.closure import services as closure_services
from holdspace.processes.models import Event, Group, Process, Responsibility
from holdspace.testing import GROUP_KINDS, World, client_for, make_user, sign_in
from holdspace.watch import collect

pytestmark = pytest.mark.django_db

STEERERS = {"support-coordinator", "contact-coordinator"}


def _settings(world: World, **changes: object) -> dict[str, object]:
    world.process.refresh_from_db()
    return {
        "name": "Process Willow",
        "started_on": "2025-01-01",
        "harmed_term": "survivor",
        "harming_term": "person_who_caused_harm",
        "status": "active",
        "version": world.process.version,
        **changes,
    }


def _steering_urls(world: World) -> list[str]:
    pid = world.process.pk
    return [
        reverse("hs-process-edit", args=[pid]),
        reverse("hs-party-edit", args=[pid, "harming"]),
        reverse("hs-responsibilities", args=[pid]),
        reverse("hs-cadence", args=[pid]),
    ]


@pytest.mark.parametrize(
    "persona", [f"{kind}-{role}" for kind in GROUP_KINDS for role in ("coordinator", "member")]
)
def test_only_the_steering_groups_coordinators_steer_S51(world: World, persona: str) -> None:
    client = client_for(world, persona)
    for url in _steering_urls(world):
        status = client.get(url).status_code
        assert status == (200 if persona in STEERERS else 404), (persona, url)
    before = world.process.status
    client.post(
        reverse("hs-process-edit", args=[world.process.pk]), _settings(world, status="paused")
    )
    world.process.refresh_from_db()
    assert world.process.status == ("paused" if persona in STEERERS else before)


def test_the_support_team_never_steers_even_when_named_or_carrying_contact_S51(
    world: World,
) -> None:
    team = world.groups["support_team"]
    Group.objects.filter(pk=team.pk).update(steers=True)
    Responsibility.objects.filter(process=world.process, kind="contact").update(group=team)
    client = client_for(world, "support_team-coordinator")
    for url in _steering_urls(world):
        assert client.get(url).status_code == 404, url
    page = client_for(world, "support-coordinator").get(
        reverse("hs-process-edit", args=[world.process.pk])
    )
    assert b"Willow support_team group" not in page.content.split(b"<form")[1]


def test_pausing_shows_on_every_groups_page_with_who_did_it_and_is_audited_S51(
    world: World,
) -> None:
    assert collect.alerts_for(world.personas["contact-member"])  # report due since 2025
    client = client_for(world, "contact-coordinator")
    response = client.post(
        reverse("hs-process-edit", args=[world.process.pk]), _settings(world, status="paused")
    )
    assert response.status_code == 302
    for kind, group in world.groups.items():
        page = client_for(world, f"{kind}-member").get(reverse("hs-group", args=[group.pk]))
        text = page.content.decode()
        assert "This process is paused: contact-coordinator (Willow contact group)" in text, kind
        assert "the watchdog raises no alerts" in text
    assert Entry.objects.filter(action="process.paused", process_id=world.process.pk).count() == 1
    event = Event.objects.get(code="process.status")
    assert set(event.audience_groups.all()) == set(world.groups.values())
    timeline = client_for(world, "supervision-member").get(
        reverse("hs-timeline", args=[world.process.pk])
    )
    assert "contact-coordinator (Willow contact group) set the process to “paused”" in (
        timeline.content.decode()
    )
    assert collect.alerts_for(world.personas["contact-member"]) == []
    # Saving the same status again is no second pause.
    client.post(
        reverse("hs-process-edit", args=[world.process.pk]), _settings(world, status="paused")
    )
    assert Entry.objects.filter(action="process.paused").count() == 1
    # Closing is no setting any more: it goes through the closure page.
    assert b'value="closed"' not in client.get(_steering_urls(world)[0]).content
    closure_services.close(
        Process.objects.get(pk=world.process.pk),
        by=world.personas["contact-coordinator"],
        group=world.groups["contact"],
        closing=closure_services.Closing(
            reached="Reached",
            not_reached="",
            results=[],
            statement="",
            kept="",
            delete_on=timezone.localdate() + datetime.timedelta(days=30),
        ),
    )
    page = client_for(world, "custom-member").get(
        reverse("hs-group", args=[world.groups["custom"].pk])
    )
    assert b"This process is closed: contact-coordinator" in page.content
    assert Entry.objects.filter(action="process.closed").count() == 1


def test_a_process_names_another_group_to_steer_S51(world: World) -> None:
    supervision = world.groups["supervision"]
    outside = client_for(world, "supervision-coordinator")
    assert outside.get(_steering_urls(world)[0]).status_code == 404
    client = client_for(world, "support-coordinator")
    response = client.post(
        _steering_urls(world)[0], _settings(world, steering=[str(supervision.pk)])
    )
    assert response.status_code == 302
    assert Entry.objects.filter(action="process.steering_changed").count() == 1
    for url in _steering_urls(world):
        assert outside.get(url).status_code == 200, url
    # The support team cannot be named: it is not among the choices.
    team = world.groups["support_team"]
    refused = client.post(_steering_urls(world)[0], _settings(world, steering=[str(team.pk)]))
    assert refused.status_code == 200
    assert b"This option is not available any more." in refused.content
    assert not Group.objects.get(pk=team.pk).steers


def test_a_process_is_never_left_without_anyone_to_steer_it_S51(client: Client) -> None:
    founder = make_user("founder", may_start_processes=True)
    sign_in(client, founder)
    client.post(
        "/processes/new/",
        {
            "name": "Process Oak",
            "started_on": "2026-01-01",
            "harmed_term": "survivor",
            "harming_term": "perpetrator",
            "harmed_pseudonym": "A.",
            "harming_pseudonym": "X",
            "group_kind": "supervision",
            "group_name": "Oak supervision",
            "commitment_until": "",
        },
    )
    process = Process.objects.get()
    assert client.get(reverse("hs-process-edit", args=[process.pk])).status_code == 200
