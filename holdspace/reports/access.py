"""The access core for periodic reports.

Built on :mod:`holdspace.processes.access`: a report is a record, read by its
audience (the writing group while it is a draft; the supervision group too
once it is sent). Members of the writing group sign it off; its coordinators
send it and write corrections. A sent report is frozen: nobody edits it
(``registry.RecordKind.frozen``).
"""

from __future__ import annotations

import datetime
import uuid

from django.db.models import QuerySet

from holdspace.accounts.models import User
from holdspace.processes import access
from holdspace.processes.models import Group, Process, Record
from holdspace.reports.models import Report


def reports_of(user: User, process: Process) -> QuerySet[Report]:
    """The reports of ``process`` the account may read, newest first."""
    visible = access.records_visible_to(user, process).values("pk")
    return Report.objects.filter(pk__in=visible).order_by("-occurred_on", "-created_at")


def readable_by_group(group: Group) -> QuerySet[Record]:
    """Every record of the group's process that the group may read: what a
    report the group writes may be drafted from (not more, not less)."""
    return access.records_readable_by_groups(group.process, {group.pk})


def last_sent_by(group: Group) -> Report | None:
    """The group's last report sent (its newest period), if any."""
    return (
        Report.objects.filter(author_group=group, status=Report.Status.SENT)
        .order_by("-period_to", "-sent_at")
        .first()
    )


def proposed_period(group: Group, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the end of the group's last sent report (or the group's start) to today."""
    last = last_sent_by(group)
    if last is not None:
        start = last.period_to + datetime.timedelta(days=1)
    else:
        start = max(group.process.started_on, group.created_at.date())
    return min(start, today), today


def is_frozen(record: Record) -> bool:
    """Whether ``record`` (a report) was sent: then nobody may edit it."""
    report = record if isinstance(record, Report) else getattr(record, "report", None)
    return report is not None and report.status == Report.Status.SENT


def may_sign(user: User, report: Report) -> bool:
    """Signing off is for active members of the writing group, on a draft."""
    return not report.is_sent and report.author_group_id in access.group_ids_for(
        user, report.process_id
    )


def may_send(user: User, report: Report) -> bool:
    """Sending (and correcting once sent) is for the writing group's coordinators."""
    return report.author_group_id in access.coordinated_group_ids(user, report.process)


def signers(report: Report) -> list[tuple[str, datetime.datetime, int]]:
    """Who signed which version and when (names are known within a process)."""
    return [
        (s.user.username if s.user else "", s.signed_at, s.version)
        for s in report.signoffs.select_related("user")
    ]


def correction_of(user: User, report: Report) -> Report | None:
    """The report correcting ``report``, if the account may read it."""
    found: Report | None = getattr(report, "corrected_by", None)
    if found is None:
        return None
    visible = access.records_visible_to(user, report.process).filter(pk=found.pk)
    return found if visible.exists() else None


def corrected(user: User, report: Report) -> Report | None:
    """The report ``report`` corrects, if the account may read it."""
    if report.corrects_id is None:
        return None
    visible = access.records_visible_to(user, report.process).filter(pk=report.corrects_id)
    return report.corrects if visible.exists() else None


def group_ids(user: User, process_id: uuid.UUID) -> set[uuid.UUID]:
    return access.group_ids_for(user, process_id)
