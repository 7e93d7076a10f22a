"""The optional public statement: nothing is released before the survivor's
side approves it; a decline keeps it unreleased for good (S51)."""

from __future__ import annotations

import pytest

from holdspace.closure.models import Closure
from holdspace.closure.tests.closing import close_world
from holdspace.processes.models import Party
from holdspace.testing import World, assert_refused, client_for

pytestmark = pytest.mark.django_db

STATEMENT = "Canary-statement: the process has ended."


def _status(closure: Closure) -> str:
    return Closure.objects.get(pk=closure.pk).statement_status


def test_it_is_not_releasable_before_approval(world: World) -> None:
    closure = close_world(world, statement=STATEMENT)
    client = client_for(world, "support-coordinator")
    page = client.get(f"/p/{world.process.pk}/closure/").content
    assert b"waiting for approval" in page
    assert b"Release the statement" not in page
    response = client.post(f"/p/{world.process.pk}/closure/release/", follow=True)
    assert "cannot become “released”" in response.content.decode()
    assert _status(closure) == Closure.Statement.WAITING


def test_her_support_group_approves_then_it_is_released(world: World) -> None:
    closure = close_world(world, statement=STATEMENT)
    client = client_for(world, "support-coordinator")
    assert STATEMENT.encode() in client.get(f"/p/{world.process.pk}/closure/statement/").content
    response = client.post(
        f"/p/{world.process.pk}/closure/statement/", {"decision": "approve", "reason": ""}
    )
    assert response.status_code == 302
    assert _status(closure) == Closure.Statement.APPROVED
    # A coordinator of the contact group, which steers too, releases it.
    released = client_for(world, "contact-coordinator").post(
        f"/p/{world.process.pk}/closure/release/", follow=True
    )
    assert b"The statement is released." in released.content
    assert _status(closure) == Closure.Statement.RELEASED
    timeline = client_for(world, "community-member").get(f"/p/{world.process.pk}/timeline/")
    assert b"approved the public statement" in timeline.content


def test_a_decline_keeps_it_unreleased_with_its_reason(world: World) -> None:
    closure = close_world(world, statement=STATEMENT)
    client = client_for(world, "support-coordinator")
    assert_refused(
        client,
        f"/p/{world.process.pk}/closure/statement/",
        {"decision": "decline", "reason": ""},
        "Please say why you decline.",
    )
    client.post(
        f"/p/{world.process.pk}/closure/statement/",
        {"decision": "decline", "reason": "It names her town."},
    )
    assert _status(closure) == Closure.Statement.DECLINED
    steering = client_for(world, "contact-coordinator")
    steering.post(f"/p/{world.process.pk}/closure/release/")
    assert _status(closure) == Closure.Statement.DECLINED
    page = steering.get(f"/p/{world.process.pk}/closure/").content
    assert b"It names her town." in page


def test_only_her_side_answers_S51(world: World) -> None:
    close_world(world, statement=STATEMENT)
    for persona in ("contact-coordinator", "support-member", "support_team-coordinator"):
        response = client_for(world, persona).post(
            f"/p/{world.process.pk}/closure/statement/", {"decision": "approve"}
        )
        assert response.status_code == 404, persona


def test_when_she_answers_herself_her_group_cannot(world: World) -> None:
    Party.objects.filter(process=world.process, role="harmed").update(decides_herself=True)
    closure = close_world(world, statement=STATEMENT)
    group = client_for(world, "support-coordinator")
    page = group.get(f"/p/{world.process.pk}/closure/statement/").content
    assert b"gives this approval herself" in page
    group.post(f"/p/{world.process.pk}/closure/statement/", {"decision": "approve"})
    assert _status(closure) == Closure.Statement.WAITING
    her = client_for(world, "survivor")
    own = her.get("/survivor/closure/").content
    assert STATEMENT.encode() in own
    assert b"He acknowledged the harm in writing." in own
    response = her.post("/survivor/closure/", {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    assert _status(closure) == Closure.Statement.APPROVED


def test_her_refusal_is_final(world: World) -> None:
    Party.objects.filter(process=world.process, role="harmed").update(decides_herself=True)
    closure = close_world(world, statement=STATEMENT)
    her = client_for(world, "survivor")
    her.post("/survivor/closure/", {"decision": "decline", "reason": "Not now, not ever."})
    assert _status(closure) == Closure.Statement.DECLINED
    client_for(world, "support-coordinator").post(f"/p/{world.process.pk}/closure/release/")
    assert _status(closure) == Closure.Statement.DECLINED
    assert b"Send my answer" not in her.get("/survivor/closure/").content
