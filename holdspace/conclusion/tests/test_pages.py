"""Every page of the conclusion report is neutral and well structured (title,
landmarks, one heading, labelled fields, nothing inline)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.conclusion import services
from holdspace.conclusion.tests.helpers import with_records
from holdspace.testing import World, assert_pages_well_structured, client_for
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db


def test_every_conclusion_page_is_well_structured(world: World) -> None:
    process = world.process.pk
    new = reverse("hs-conclusion-new", args=[process])
    assert_pages_well_structured(
        world, [new, reverse("hs-conclusion", args=[process])], ("support-coordinator",)
    )
    report = with_records(world)
    with using(world.keyring):
        edition = services.release(
            report.conclusion, "community", by=world.personas["support-coordinator"]
        )
    pk = report.conclusion.pk
    urls = [
        reverse("hs-conclusion-report", args=[pk]),
        reverse("hs-conclusion-edit", args=[pk]),
        reverse("hs-conclusion-preview", args=[pk]),
        reverse("hs-conclusion-preview", args=[pk]) + "?edition=community",
        reverse("hs-edition", args=[edition.pk]),
        reverse("hs-process", args=[process]),
        reverse("hs-timeline", args=[process]),
    ]
    assert_pages_well_structured(world, urls, ("support-coordinator", "support-member"))
    assert_pages_well_structured(
        world,
        [reverse("hs-conclusion", args=[process]), reverse("hs-edition", args=[edition.pk])],
        ("community-member",),
    )


def test_the_process_page_leads_to_the_report(world: World) -> None:
    client = client_for(world, "support-coordinator")
    page = client.get(reverse("hs-process", args=[world.process.pk])).content.decode()
    assert reverse("hs-conclusion-new", args=[world.process.pk]) in page
    report = with_records(world)
    page = client.get(reverse("hs-process", args=[world.process.pk])).content.decode()
    assert report.conclusion.get_absolute_url() in page
