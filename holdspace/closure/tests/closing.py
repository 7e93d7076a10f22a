"""Closing the test world's process, for the closure app's tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from holdspace.closure import services
from holdspace.closure.models import Closure
from holdspace.testing import World

IN_A_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def close_world(
    world: World, *, statement: str = "", delete_on: datetime.date | None = None
) -> Closure:
    """Close the world's process as the support group's coordinator (it steers)."""
    return services.close(
        world.process,
        by=world.personas["support-coordinator"],
        group=world.groups["support"],
        closing=services.Closing(
            reached="He acknowledged the harm in writing.",
            not_reached="He never paid for her therapy.",
            results=[services.Result("He acknowledges the harm", "yes", "In March.")],
            statement=statement,
            kept="The export, kept by her support group.",
            delete_on=delete_on or IN_A_YEAR,
        ),
    )
