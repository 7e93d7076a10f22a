"""Reports moved from the contact app to their own: the table and every row
stay (a state-only move), reports written before count as sent, and the
migrations run backwards too (S41)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from holdspace.contact import services as contact
from holdspace.reports.models import Report
from holdspace.reports.tests.helpers import ago
from holdspace.testing import World, migrate_app_to
from holdspace.testing.world import fresh_world


@pytest.fixture
def own_world(transactional_db: None) -> Iterator[World]:
    with fresh_world() as world:
        yield world
    # Later tests need every table, not just those of this migration's time
    # (also of the apps that build on reports).
    _migrate_everything()


def _migrate_everything() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _unapply_reports() -> None:
    MigrationExecutor(connection).migrate([("reports", None)])


def _rows() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT record_ptr_id, period_from FROM contact_report")
        return [(str(pk).replace("-", ""), str(day)) for pk, day in cursor.fetchall()]


def test_it_keeps_every_report_when_reports_move_and_move_back(own_world: World) -> None:
    world = own_world
    report = contact.write_report(
        author=world.personas["contact-coordinator"],
        group=world.groups["contact"],
        period_from=ago(60),
        period_to=ago(0),
        text="Written before the move",
    )
    before = _rows()
    assert len(before) == 1
    _unapply_reports()
    migrate_app_to("contact", "0003_meetings_with_his_surroundings")
    assert _rows() == before  # the table, as the contact app had it
    _migrate_everything()
    moved = Report.objects.get(pk=report.pk)
    assert moved.text == "Written before the move" and moved.period_from == ago(60)
    # What the contact app never had (the lines) starts empty; a report it
    # kept went to its readers when written: sent that day, and frozen.
    assert report.lines() and moved.lines() == []
    assert moved.is_sent and moved.sent_on == moved.occurred_on == ago(0)
    assert moved.shown_text() == "Written before the move"
