"""Closing a process: the criteria, the closing form, who may, bad input,
a double submit, and reopening."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from holdspace.closure.models import Closure, Criterion, Reopening
from holdspace.closure.tests.closing import IN_A_YEAR, close_world
from holdspace.processes.models import Event, Process
from holdspace.testing import World, assert_refused, client_for, database_snapshot

pytestmark = pytest.mark.django_db


def _closing_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "criterion_0": "yes",
        "note_0": "He wrote to her in March.",
        "criterion_1": "partly",
        "note_1": "",
        "reached": "Canary-reached: he acknowledged the harm.",
        "not_reached": "He did not pay.",
        "statement": "",
        "kept": "The export, with her support group.",
        "delete_on": IN_A_YEAR.isoformat(),
        "happened_on": timezone.localdate().isoformat(),
        "submission": "closing-once",
    }
    return {**data, **overrides}


def _set_criteria(world: World) -> None:
    client = client_for(world, "support-coordinator")
    response = client.post(
        f"/p/{world.process.pk}/closure/criteria/",
        {"criteria": "He acknowledges the harm\n\nHe takes part in a programme\n"},
    )
    assert response.status_code == 302


def test_it_keeps_the_criteria_agreed_while_the_process_runs(world: World) -> None:
    _set_criteria(world)
    page = client_for(world, "community-member").get(f"/p/{world.process.pk}/closure/")
    assert b"He acknowledges the harm" in page.content
    assert b"He takes part in a programme" in page.content
    assert Criterion.objects.filter(process=world.process).count() == 2
    # Only the groups that steer change them, and see how to close.
    assert b"Close the process" not in page.content
    steering = client_for(world, "support-coordinator").get(f"/p/{world.process.pk}/closure/")
    assert b"Close the process" in steering.content


def test_it_closes_the_process_with_each_criterion_and_the_outcome(world: World) -> None:
    _set_criteria(world)
    client = client_for(world, "contact-coordinator")
    form = client.get(f"/p/{world.process.pk}/closure/close/")
    assert b"He takes part in a programme" in form.content
    response = client.post(f"/p/{world.process.pk}/closure/close/", _closing_data())
    assert response.status_code == 302
    process = Process.objects.get(pk=world.process.pk)
    assert process.status == Process.Status.CLOSED
    closure = Closure.objects.get(process=process)
    assert [r.reached for r in closure.results.all()] == ["yes", "partly"]
    assert closure.author_group == world.groups["contact"]
    # Every group reads how it ended, on the closure page and the chronology.
    reader = client_for(world, "supervision-member")
    page = reader.get(f"/p/{world.process.pk}/closure/").content
    assert b"Canary-reached" in page
    assert b"This process is closed" in page
    assert b"He wrote to her in March." in page
    assert b"The process was closed" in reader.get(f"/p/{world.process.pk}/timeline/").content
    assert Event.objects.filter(process=process, code="process.status", value="closed").exists()
    assert b"This process is closed." in reader.get(f"/p/{world.process.pk}/").content


def test_it_closes_once_when_the_form_is_sent_twice_S52(world: World) -> None:
    client = client_for(world, "support-coordinator")
    first = client.post(f"/p/{world.process.pk}/closure/close/", _closing_data())
    second = client.post(f"/p/{world.process.pk}/closure/close/", _closing_data())
    assert first.status_code == 302
    assert second.status_code in (302, 409)
    assert Closure.objects.filter(process=world.process).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reached": ""}, "Please say what the process reached."),
        ({"delete_on": timezone.localdate().isoformat()}, "Choose a day after today"),
        ({"delete_on": ""}, "Please choose the day everything is deleted."),
        (
            {"happened_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
            "Choose today or a day in the past.",
        ),
    ],
)
def test_it_refuses_bad_input_and_keeps_what_was_typed(
    world: World, overrides: dict[str, str], message: str
) -> None:
    client = client_for(world, "support-coordinator")
    data = _closing_data(not_reached="Typed and kept", **overrides)
    assert_refused(client, f"/p/{world.process.pk}/closure/close/", data, message, "Typed and kept")
    assert Process.objects.get(pk=world.process.pk).status == Process.Status.ACTIVE


def test_the_settings_form_no_longer_closes(world: World) -> None:
    page = client_for(world, "support-coordinator").get(f"/p/{world.process.pk}/settings/")
    assert b'value="closed"' not in page.content
    assert b'value="paused"' in page.content


def test_it_reopens_with_reasons_on_the_chronology(world: World) -> None:
    close_world(world)
    client = client_for(world, "support-coordinator")
    refused = assert_refused(
        client,
        f"/p/{world.process.pk}/closure/reopen/",
        {"reasons": ""},
        "Please give your reasons",
    )
    assert refused.status_code == 200
    response = client.post(
        f"/p/{world.process.pk}/closure/reopen/",
        {"reasons": "He broke the agreement again.", "submission": "reopen-once"},
    )
    assert response.status_code == 302
    assert Process.objects.get(pk=world.process.pk).status == Process.Status.ACTIVE
    reopening = Reopening.objects.get(process=world.process)
    timeline = client_for(world, "community-member").get(f"/p/{world.process.pk}/timeline/")
    assert b"The process was opened again" in timeline.content
    detail = client_for(world, "community-member").get(f"/ro/{reopening.pk}/")
    assert b"He broke the agreement again." in detail.content
    # Writing works again.
    note = client_for(world, "community-member").post(
        f"/g/{world.groups['community'].pk}/notes/new/",
        {"title": "After", "body": "Written after reopening", "occurred_on": "2025-06-01"},
    )
    assert note.status_code == 302


def test_only_steering_coordinators_close_or_reopen_S51(world: World) -> None:
    for persona in ("support_team-coordinator", "community-coordinator", "support-member"):
        client = client_for(world, persona)
        before = database_snapshot()
        response = client.post(f"/p/{world.process.pk}/closure/close/", _closing_data())
        assert response.status_code == 404, persona
        assert database_snapshot() == before
    close_world(world)
    response = client_for(world, "support_team-coordinator").post(
        f"/p/{world.process.pk}/closure/reopen/", {"reasons": "No."}
    )
    assert response.status_code == 404
    assert Process.objects.get(pk=world.process.pk).status == Process.Status.CLOSED


def test_party_accounts_never_reach_the_closure_pages_S44(world: World) -> None:
    close_world(world)
    for persona in ("survivor", "portal"):
        client = client_for(world, persona)
        for path in ("closure/", "closure/close/", "closure/reopen/", "closure/statement/"):
            assert client.get(f"/p/{world.process.pk}/{path}").status_code == 404, (persona, path)
