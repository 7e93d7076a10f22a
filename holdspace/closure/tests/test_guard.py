"""A closed process is read-only: every page that writes into it says so and
changes nothing, and no service can write into it either (closure.guard).

The lists of pages and kinds come from the URL patterns, the authorization
matrix and the record-kind registry, so that a page or kind added later is
covered without an edit here."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from holdspace.closure.guard import ALLOWED_ATTRIBUTE, ProcessClosed
from holdspace.closure.tests.closing import close_world
from holdspace.processes import registry
from holdspace.processes import services as core_services
from holdspace.processes.models import Process, Record
from holdspace.testing import World, client_for, database_snapshot
from holdspace.testing.commitments import add_records
from holdspace.tests import test_matrix as matrix
from holdspace.watch import collect
from holdspace.web.checks import walk_patterns

pytestmark = pytest.mark.django_db

IN_A_PROCESS = ("process_id", "group_id", "record_id")


def _writing_pages() -> list[str]:
    """Every URL that takes a POST and points into a process, except the
    closure app's own (reopening, the statement, the export)."""
    names = []
    for route, pattern in walk_patterns():
        entry = matrix.MATRIX.get(pattern.name or "")
        if entry is None or "POST" not in entry.methods:
            continue
        if not any(f":{key}>" in route for key in IN_A_PROCESS):
            continue
        if getattr(pattern.callback, ALLOWED_ATTRIBUTE, False):
            continue
        names.append(str(pattern.name))
    return names


def _prepare(world: World) -> None:
    """Records of every kind in the process (as the matrix makes them)."""
    matrix.COMMITMENTS["own"], matrix.COMMITMENTS["other"] = add_records(world)
    matrix.READERS.clear()
    matrix.READERS.update(matrix.COMMITMENTS["own"].readers)
    matrix.READERS.update({pk: set() for pk in matrix.COMMITMENTS["other"].readers})
    matrix._add_examples(world)


def _who_may(world: World, name: str) -> tuple[str, list[Any]] | None:
    """A persona allowed to POST to ``name`` on the world's own process, and
    the URL's arguments (from the matrix's oracle)."""
    entry = matrix.MATRIX[name]
    for persona in matrix.PERSONAS:
        if persona in ("anonymous", "admin", "outsider"):
            continue
        variants = matrix._targets(world, persona, entry.target)
        for variant in ("own", "shared", "demand"):
            if variant in variants:
                facts, args = variants[variant]
                if matrix.ORACLE[entry.rule](world, persona, facts):
                    return persona, args
    return None


def test_every_writing_page_of_a_closed_process_refuses_and_changes_nothing(
    world: World,
) -> None:
    _prepare(world)
    close_world(world)
    pages = _writing_pages()
    assert "hs-note-new" in pages and "hs-record-edit" in pages
    assert len(pages) > 40
    # Signing in and making the targets write (the last log-in, a link to
    # a party): before the snapshot.
    clients = {persona: client_for(world, persona) for persona in matrix.PERSONAS[:-3]}
    targets = {name: _who_may(world, name) for name in pages}
    before = database_snapshot()
    tried = 0
    for name, found in targets.items():
        if found is None:
            continue
        persona, args = found
        response = clients[persona].post(reverse(name, args=args), {"body": "Typed text"})
        assert response.status_code == 409, (name, persona, response.status_code)
        assert b"This process is closed" in response.content, name
        assert b"Typed text" in response.content, name
        tried += 1
    assert tried >= len(pages) - 5, "most pages have someone who may write"
    after = database_snapshot()
    changed = {
        t: set(after[t]) ^ set(before.get(t, [])) for t in after if after[t] != before.get(t)
    }
    assert changed == {}


def _model_of(kind: registry.RecordKind) -> type[Record]:
    model = apps.get_model(kind.app, kind.name)
    assert issubclass(model, Record)
    return model


def test_no_record_of_any_kind_can_be_written_or_deleted(world: World) -> None:
    _prepare(world)
    close_world(world)
    closed = Process.objects.get(pk=world.process.pk)
    for kind in registry.KINDS.values():
        if kind.name == Record.Kind.EVENT:
            continue
        model = _model_of(kind)
        new = model(kind=kind.name, process=closed, author_group=world.groups["support"])
        with pytest.raises(ProcessClosed), transaction.atomic():
            new.save()
        for existing in model._default_manager.filter(process=closed)[:1]:
            with pytest.raises(ProcessClosed), transaction.atomic():
                existing.save()
            with pytest.raises(ProcessClosed), transaction.atomic():
                existing.delete()
    # Each app's example writes a new record (or finds the one there is).
    for route in registry.ROUTES.values():
        if route.example is not None:
            count = Record.objects.filter(process=closed).count()
            try:
                with transaction.atomic():
                    route.example(world.groups["support"], world.personas["support-member"])
            except ProcessClosed:
                continue
            assert Record.objects.filter(process=closed).count() == count, route.name


def test_a_service_cannot_write_into_a_closed_process(world: World) -> None:
    close_world(world)
    before = database_snapshot()
    with pytest.raises(ProcessClosed):
        core_services.write_note(
            author=world.personas["support-member"],
            group=world.groups["support"],
            occurred_on=timezone.localdate(),
            title="",
            body="Not saved",
        )
    assert database_snapshot() == before


def test_the_watchdog_raises_no_alerts_for_a_closed_process(world: World) -> None:
    far = timezone.localdate() + datetime.timedelta(days=3000)
    assert any(alert.process == world.process.pk for alert in collect.current_alerts(far))
    close_world(world)
    assert all(alert.process != world.process.pk for alert in collect.current_alerts(far))


def test_reading_a_closed_process_still_works(world: World) -> None:
    close_world(world)
    client = client_for(world, "support-member")
    for url in (
        f"/p/{world.process.pk}/",
        f"/p/{world.process.pk}/timeline/",
        f"/n/{world.notes['support'].pk}/"
        if False
        else reverse("hs-record", args=[world.notes["support"].pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_tick_notes_nothing_in_a_closed_process(world: World) -> None:
    from holdspace.commitments.models import Agreement, Step
    from holdspace.commitments.services import note_due_dates

    _prepare(world)
    close_world(world)
    far = timezone.localdate() + datetime.timedelta(days=3000)
    statuses = {a.pk: a.status for a in Agreement.objects.filter(process=world.process)}
    events = Record.objects.filter(process=world.process).count()
    note_due_dates(far)
    assert {a.pk: a.status for a in Agreement.objects.filter(process=world.process)} == statuses
    assert Record.objects.filter(process=world.process).count() == events
    assert Step.objects.filter(process=world.process).exists()
    # An event about a record of a closed process is refused too.
    step = Step.objects.filter(process=world.process)[0]
    with pytest.raises(ProcessClosed), transaction.atomic():
        core_services.record_event(step, "step.status", by=None, value="overdue")


def test_the_door_tells_nothing_to_those_outside_S15(world: World) -> None:
    close_world(world)
    support = world.groups["support"]
    for persona, url in (
        ("outsider", f"/p/{world.process.pk}/closure/criteria/"),
        ("outsider", f"/g/{support.pk}/notes/new/"),
        ("contact-member", f"/g/{support.pk}/notes/new/"),
        ("contact-member", reverse("hs-record-edit", args=[world.notes["support"].pk])),
    ):
        client = client_for(world, persona)  # signing in writes: first
        before = database_snapshot()
        response = client.post(url, {"body": "Typed"})
        assert response.status_code == 404, (persona, url)
        assert database_snapshot() == before


def test_his_portal_says_the_process_is_closed_and_keeps_his_text(world: World) -> None:
    close_world(world)
    client = client_for(world, "portal")
    before = database_snapshot()
    response = client.post(
        "/portal/write/", {"answer_kind": "reflection", "body": "Typed by him", "about": ""}
    )
    assert b"This process is closed" in response.content
    assert b"Typed by him" in response.content
    assert database_snapshot() == before
