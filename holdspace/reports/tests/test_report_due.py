"""The watchdog's ``report_due`` counts from the last report SENT to
supervision (or the start): a draft, however long, is no report."""

from __future__ import annotations

import pytest
from django.utils import timezone

from holdspace.processes.models import Process
from holdspace.reports import services
from holdspace.reports.tests.helpers import ago, draft, sent
from holdspace.testing import World, client_for
from holdspace.watch import collect, rules

pytestmark = pytest.mark.django_db


def _report_due(world: World) -> list[rules.Alert]:
    (facts,) = collect.facts_for([Process.objects.get(pk=world.process.pk)])
    contact = world.groups["contact"].pk
    return [
        alert
        for alert in rules.alerts(facts, timezone.localdate())
        if alert.kind == rules.REPORT_DUE and contact in alert.groups
    ]


def test_it_counts_report_due_from_the_last_sent_report(world: World) -> None:
    Process.objects.filter(pk=world.process.pk).update(started_on=ago(200))
    (due,) = _report_due(world)
    assert due.since is None and due.severity == rules.OVERDUE
    dashboard = client_for(world, "contact-coordinator")
    page = dashboard.get("/dashboard/").content.decode()
    assert 'data-kind="report_due"' in page and "none was sent yet" in page
    # A draft written today is not a report sent.
    report = draft(world, start=190, end=110)
    services.sign(report, by=world.personas["contact-member"])
    (due,) = _report_due(world)
    assert due.since is None
    # Sent 100 days ago (written down today): due since then.
    services.send(report, by=world.personas["contact-coordinator"], sent_on=ago(100))
    (due,) = _report_due(world)
    assert due.since == ago(100) and due.severity == rules.OVERDUE
    page = dashboard.get("/dashboard/").content.decode()
    assert "A report to supervision is due: the last was sent on" in page
    # Sent today: nothing due.
    sent(world)
    assert _report_due(world) == []
    assert 'data-kind="report_due"' not in dashboard.get("/dashboard/").content.decode()
