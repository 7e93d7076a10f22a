"""Every page of the contact log and the watchdog is neutral and well
structured (title, landmarks, one heading, labelled fields, nothing inline)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.testing import World, assert_pages_well_structured
from holdspace.testing.commitments import add_records

pytestmark = pytest.mark.django_db


def test_every_contact_and_watch_page_is_well_structured(world: World) -> None:
    own, _other = add_records(world)
    by_record = {
        "hs-contact": own.contact,
        "hs-contact-edit": own.contact,
        "hs-contact-answered": own.contact,
        "hs-meeting": own.meeting,
        "hs-meeting-edit": own.meeting,
        "hs-meeting-outcome": own.meeting,
        "hs-meeting-step": own.meeting,
        "hs-report": own.report,
        "hs-report-edit": own.report,
        "hs-record-history": own.meeting,
    }
    contact = world.groups["contact"].pk
    urls = [reverse(name, args=[record.pk]) for name, record in by_record.items()]
    urls += [
        reverse(name, args=[contact])
        for name in ("hs-contact-new", "hs-meeting-new", "hs-report-new")
    ]
    urls += [
        reverse("hs-contact-log", args=[world.process.pk]),
        reverse("hs-cadence", args=[world.process.pk]),
        reverse("hs-reminders"),
        reverse("hs-calendar"),
        "/dashboard/",
    ]
    assert_pages_well_structured(world, urls, ("contact-coordinator", "contact-member"))
