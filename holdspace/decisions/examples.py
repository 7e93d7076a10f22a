"""Records the authorization matrix points the decisions app's URLs at
(``registry.Route.example``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.decisions import services
from holdspace.decisions.models import Decision, Ladder, NonCooperation
from holdspace.processes.models import Group


def example_decision(group: Group, author: User) -> Decision:
    """An open decision in ``group``, for the authorization matrix."""
    return services.propose(
        author=author,
        group=group,
        proposal=services.Proposal(
            topic=Decision.Topic.GENERAL,
            proposal="A decision's secret",
            reasons="",
            deadline=timezone.localdate() + datetime.timedelta(days=7),
        ),
    )


def example_ladder(group: Group, author: User) -> Ladder:
    """The ladder ``group`` keeps, for the authorization matrix (one per group)."""
    existing = Ladder.objects.filter(keeper=group).first()
    if existing is not None:
        return existing
    return services.write_ladder(
        group, by=author, steps={NonCooperation.MISSED_MEETINGS: ["A ladder's secret"]}
    )
