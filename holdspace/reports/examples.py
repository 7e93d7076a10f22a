"""Reports the authorization matrix points the reports app's URLs at
(``registry.Route.example``): written by a coordinator of the group, so that
who may edit, send and correct them is the group's coordinators."""

from __future__ import annotations

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.processes.models import Group, Membership
from holdspace.reports import services
from holdspace.reports.models import Report


def _coordinator(group: Group, author: User) -> User:
    found = (
        Membership.objects.active()
        .filter(group=group, role=Membership.Role.COORDINATOR)
        .select_related("user")
        .order_by("joined_on", "id")
        .first()
    )
    return found.user if found is not None else author


def example_report(group: Group, author: User) -> Report:
    """A draft report of ``group``, for the authorization matrix."""
    today = timezone.localdate()
    return services.write_report(
        author=_coordinator(group, author),
        group=group,
        period_from=group.process.started_on,
        period_to=today,
        text="A report's secret",
    )


def example_sent_report(group: Group, author: User) -> Report:
    """A report of ``group`` signed off and sent, for the authorization matrix."""
    coordinator = _coordinator(group, author)
    report = example_report(group, author)
    services.sign(report, by=coordinator)
    services.send(report, by=coordinator)
    return report
