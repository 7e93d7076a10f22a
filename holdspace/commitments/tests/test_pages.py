"""Every page about the letter, demands and agreements is neutral and well
structured (title, landmarks, one heading, labelled fields, nothing inline)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.testing import World, assert_pages_well_structured
from holdspace.testing.commitments import add_records

pytestmark = pytest.mark.django_db


def _urls(world: World) -> list[str]:
    own, _other = add_records(world)
    record = {
        "hs-letter": own.letter,
        "hs-letter-edit": own.letter,
        "hs-letter-copy": own.letter,
        "hs-demand": own.demand,
        "hs-demand-edit": own.demand,
        "hs-demand-reword": own.demand,
        "hs-demand-propose": own.demand,
        "hs-demand-status": own.demand,
        "hs-step-new": own.demand,
        "hs-step": own.step,
        "hs-step-edit": own.step,
        "hs-evidence-new": own.step,
        "hs-agreement": own.agreement,
        "hs-agreement-edit": own.agreement,
        "hs-agreement-renew": own.agreement,
        "hs-breach-new": own.agreement,
        "hs-rota": own.agreement,
        "hs-rota-exception": own.agreement,
        "hs-record-history": own.demand,
    }
    urls = [reverse(name, args=[r.pk]) for name, r in record.items()]
    support, contact = world.groups["support"].pk, world.groups["contact"].pk
    return [
        *urls,
        reverse("hs-commitments", args=[world.process.pk]),
        reverse("hs-process", args=[world.process.pk]),
        reverse("hs-timeline", args=[world.process.pk]),
        reverse("hs-letter-new", args=[support]),
        reverse("hs-demand-new", args=[support]),
        reverse("hs-agreement-new", args=[contact]),
        reverse("hs-evidence-assess", args=[own.demand.pk, own.evidence.pk]),
        reverse("hs-rota-venue", args=[own.agreement.pk, own.venue.pk]),
        reverse("hs-venue-print", args=[own.agreement.pk, own.venue.pk]),
    ]


def test_every_commitments_page_is_well_structured(world: World) -> None:
    assert_pages_well_structured(world, _urls(world), ("support-member", "contact-member"))
