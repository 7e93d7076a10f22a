"""The demo holds a second, closed process with a retention date, which the
demo accounts find on their overview."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from holdspace.closure.models import Closure
from holdspace.demo import builder
from holdspace.demo.tests.test_demo import _log_in
from holdspace.processes.models import Process

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_process_with_a_retention_date(tmp_path: Path) -> None:
    call_command("demo", credentials=str(tmp_path / "c.json"))
    juniper, rowan = Process.objects.order_by("created_at")
    assert juniper.status == Process.Status.ACTIVE
    assert rowan.status == Process.Status.CLOSED
    closure = Closure.objects.get(process=rowan)
    assert closure.delete_on > closure.occurred_on
    assert closure.statement_status == Closure.Statement.RELEASED
    rows = {row["username"]: row for row in builder.credentials()}
    for username in ("demo-support-coordinator", "demo-support-member", "demo-contact-coordinator"):
        client = _log_in(rows[username])
        assert b"Process Rowan" in client.get("/dashboard/").content, username
        page = client.get(f"/p/{rowan.pk}/closure/").content
        assert b"This process is closed." in page, username
        assert b"He left the programme after four sessions." in page, username
    outsider = _log_in(rows["demo-support-team"])
    assert b"Process Rowan" not in outsider.get("/dashboard/").content
