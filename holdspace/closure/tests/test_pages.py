"""The closure pages are well structured for everyone who may see them."""

from __future__ import annotations

import pytest

from holdspace.closure.models import Closure
from holdspace.closure.tests.closing import close_world
from holdspace.processes.models import Party
from holdspace.testing import (
    World,
    assert_pages_well_structured,
    assert_well_structured,
    client_for,
)

pytestmark = pytest.mark.django_db


def test_the_pages_of_an_open_process_are_well_structured(world: World) -> None:
    process = world.process.pk
    urls = [
        f"/p/{process}/closure/",
        f"/p/{process}/closure/criteria/",
        f"/p/{process}/closure/close/",
        f"/p/{process}/closure/statement/",
        f"/g/{world.groups['support'].pk}/closure/export/",
    ]
    assert_pages_well_structured(
        world, urls, ("support-coordinator", "contact-member", "support-member")
    )


def test_the_pages_of_a_closed_process_are_well_structured(world: World) -> None:
    close_world(world, statement="A statement.")
    process = world.process.pk
    closure = Closure.objects.get(process_id=process)
    urls = [
        f"/p/{process}/closure/",
        f"/p/{process}/closure/reopen/",
        f"/p/{process}/closure/statement/",
        f"/cl/{closure.pk}/",
        f"/p/{process}/",
        f"/p/{process}/timeline/",
    ]
    assert_pages_well_structured(world, urls, ("support-coordinator", "community-member"))
    Party.objects.filter(process_id=process, role="harmed").update(decides_herself=True)
    her = client_for(world, "survivor")
    for url in ("/survivor/closure/", "/survivor/closure/export/"):
        assert_well_structured(url, her.get(url).content)
