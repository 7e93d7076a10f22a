"""Every page of a report is neutral and well structured, for a draft and
for a sent report; the frozen page too."""

from __future__ import annotations

import pytest

from holdspace.reports.tests.helpers import attempt, draft, meeting, sent
from holdspace.testing import (
    World,
    assert_pages_well_structured,
    assert_well_structured,
    client_for,
)

pytestmark = pytest.mark.django_db


def test_it_every_report_page_is_well_structured(world: World) -> None:
    attempt(world, 20, "Canary")
    meeting(world, 10, "no_show", "Canary")
    written = draft(world)
    done = sent(world)
    urls = [
        f"/g/{world.groups['contact'].pk}/reports/new/",
        f"/rp/{written.pk}/",
        f"/rp/{written.pk}/edit/",
        f"/rp/{written.pk}/send/",
        f"/rp/{done.pk}/",
        f"/rp/{done.pk}/correct/",
    ]
    assert_pages_well_structured(world, urls, ("contact-coordinator",))
    frozen = client_for(world, "supervision-member").get(f"/rp/{done.pk}/edit/")
    assert frozen.status_code == 409
    assert_well_structured("frozen", frozen.content)


def test_it_shows_who_signed_and_when_on_a_sent_report(world: World) -> None:
    attempt(world, 20, "Canary")
    done = sent(world)
    page = client_for(world, "supervision-member").get(f"/rp/{done.pk}/").content.decode()
    assert "contact-member signed it off on" in page
    log = client_for(world, "contact-member").get(f"/p/{world.process.pk}/contact/")
    assert "sent on" in log.content.decode()
