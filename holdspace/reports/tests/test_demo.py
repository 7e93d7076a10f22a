"""The demo process holds reports to supervision drafted from its records,
signed off and sent (so frozen), and a draft for the months since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from holdspace.demo.tests.test_demo import _log_in
from holdspace.processes.models import Group
from holdspace.reports.models import Report

pytestmark = pytest.mark.django_db


def test_it_the_demo_holds_a_sent_frozen_report_drafted_from_records(tmp_path: Path) -> None:
    call_command("demo", credentials=str(tmp_path / "c.json"))
    reports = list(Report.objects.order_by("period_from"))
    sent = [report for report in reports if report.is_sent]
    drafts = [report for report in reports if not report.is_sent]
    assert len(sent) == 3 and len(drafts) == 1
    supervision = Group.objects.get(kind=Group.Kind.SUPERVISION)
    for report in sent:
        assert report.signoffs.count() == 2 and report.sent_on is not None
        assert supervision in report.audience_groups.all()
        assert report.sent_on >= report.period_to
    # Drafted from the records: contacts and meetings, no-shows among them,
    # as supervision reads them (through its own key).
    rows = {
        row["username"]: row for row in json.loads((tmp_path / "c.json").read_text())["accounts"]
    }
    reader = _log_in(rows["demo-supervision"])
    pages = [reader.get(f"/rp/{report.pk}/").content.decode() for report in sent]
    assert all("We reached out" in page for page in pages)
    assert any("did not come" in page for page in pages)
    assert all("Sent to supervision on" in page for page in pages)
    assert reader.get(f"/rp/{sent[0].pk}/edit/").status_code == 409
    assert reader.get(f"/rp/{drafts[0].pk}/").status_code == 404
    assert supervision not in drafts[0].audience_groups.all()
