"""Records the authorization matrix points the conclusion app's URLs at
(``registry.Route.example``)."""

from __future__ import annotations

from holdspace.accounts.models import User
from holdspace.conclusion import access, services
from holdspace.conclusion.models import Audience, Conclusion, Edition
from holdspace.processes.models import Group


def example_conclusion(group: Group, author: User) -> Conclusion:
    """The process's report, written in ``group`` (one per process)."""
    existing = access.conclusion_of(group.process)
    if existing is not None:
        return existing
    return services.begin(
        group.process,
        by=author,
        group=group,
        written=services.Written("A report's secret", "", ""),
    )


def example_edition(group: Group, author: User) -> Edition:
    """An edition released to the survivor's side (in the test world, the
    support group: the same readers as the report)."""
    conclusion = example_conclusion(group, author)
    existing = access.released(conclusion).get(Audience.SURVIVOR)
    if existing is not None:
        return existing
    return services.release(conclusion, Audience.SURVIVOR, by=author)
