"""What waits for her own answer is no task of her support group's: their
"needs attention" list leaves it out while she gives approvals herself, and
shows it again when she leaves them to the group or asks for a pause."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from holdspace.processes.models import Party
from holdspace.survivor.tests.helpers import demand, her_party, informing, proposal
from holdspace.testing import World
from holdspace.watch import attention

pytestmark = pytest.mark.django_db


def _waiting(world: World) -> set[object]:
    items = attention.items_for(world.personas["support-member"], world.process)
    return {item.alert.subject for item in items if item.alert.kind in KINDS}


KINDS = {"decision_pending", "informing_approval"}


def test_her_support_group_is_not_asked_what_waits_for_her(world: World) -> None:
    waiting = proposal(world, demand(world, "Keep away on Fridays"))
    planned = informing(world)
    asked = {waiting.pk, planned.pk}
    her_party(world, decides_herself=False)
    assert _waiting(world) >= asked
    her_party(world, decides_herself=True)
    assert not _waiting(world) & asked
    # During a pause she asked for, her support group answers again.
    Party.objects.filter(process=world.process, role=Party.Role.HARMED).update(
        paused_until=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert _waiting(world) >= asked
