"""Sending and editing a report at the same moment (S52): what is sent is
exactly the version that was signed off, and an edit never lands in a sent
report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from holdspace.processes import access
from holdspace.reports import services
from holdspace.reports.models import Report
from holdspace.reports.tests.helpers import draft
from holdspace.testing import World, client_for
from holdspace.testing.races import after_reading, at_once, posting, texts
from holdspace.testing.world import fresh_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    with fresh_world() as built:
        yield built


def test_it_sends_the_signed_version_or_keeps_the_edit_never_both_S52(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = draft(world, text="As signed off")
    services.sign(report, by=world.personas["contact-member"])
    edit = {
        "period_from": report.period_from.isoformat(),
        "period_to": report.period_to.isoformat(),
        "occurred_on": report.occurred_on.isoformat(),
        "text": "Changed at the last moment",
        "version": report.version,
    }
    with after_reading(monkeypatch, access, "get_specific_for_user"):
        pages = texts(
            at_once(
                posting(client_for(world, "contact-coordinator"), f"/rp/{report.pk}/send/", {}),
                posting(client_for(world, "contact-coordinator"), f"/rp/{report.pk}/edit/", edit),
            )
        )
    report = Report.objects.get(pk=report.pk)
    if report.is_sent:
        assert report.text == "As signed off" and report.shown_text() == "As signed off"
        assert any("cannot be changed" in page for page in pages)
    else:
        assert report.text == "Changed at the last moment"
        assert any("Nobody has signed off this version yet" in page for page in pages)
