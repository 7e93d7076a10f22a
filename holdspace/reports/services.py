"""Drafting, editing, signing off, sending and correcting periodic reports.

Callers have passed the access core. The rules that hold whoever calls, each
checked on the locked row inside the transaction that writes (S52): a sent
report is never changed again; it is sent once, after at least one member
signed off the version that is sent; a report is corrected once (a
correction can itself be corrected).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes import writes
from holdspace.processes.models import Group
from holdspace.processes.services import (
    Refused,
    audit_record,
    create_record,
    day_it_happened,
    edit_record,
    record_event,
    set_audience,
    since_the_start,
)
from holdspace.reports import digest
from holdspace.reports.models import Report, Signoff


class Code:
    """The events of a report on the chronology."""

    WRITTEN = "report.written"
    SIGNED = "report.signed"
    SENT = "report.sent"
    CORRECTED = "report.corrected"


END_BEFORE_START = _("The end of the period must come after its start.")
PERIOD_IN_FUTURE = _("The period cannot end after today.")
FROZEN = _(
    "This report was sent and cannot be changed any more. To change what it says, "
    "write a correction."
)
NOT_SIGNED = _(
    "Nobody has signed off this version yet. At least one member of the group signs "
    "it off before it is sent."
)
ALREADY_SIGNED = _("You have already signed off this version.")
ALREADY_CORRECTED = _("This report has already been corrected. Correct the newest version.")
NOT_SENT = _("Only a report that was sent can be corrected; a draft can simply be edited.")
SENT_BEFORE_PERIOD = _("A report cannot be sent before its period starts (%(date)s).")


def _check_period(period_from: datetime.date, period_to: datetime.date) -> None:
    if period_to < period_from:
        raise Refused(END_BEFORE_START)
    if period_to > timezone.localdate():
        raise Refused(PERIOD_IN_FUTURE)


def supervision_of(group: Group) -> list[Group]:
    """The groups a report of ``group`` is sent to: the process's supervision."""
    return list(
        Group.objects.filter(process_id=group.process_id, kind=Group.Kind.SUPERVISION)
        .exclude(pk=group.pk)
        .order_by("created_at")
    )


def draft(
    *,
    author: User,
    group: Group,
    period_from: datetime.date,
    period_to: datetime.date,
    occurred_on: datetime.date | None = None,
) -> Report:
    """A draft report of ``group`` for the period, built from the records of
    the period the group may read (its basis); only the group reads it."""
    _check_period(period_from, period_to)
    day = day_it_happened(occurred_on, since_the_start(group.process))
    lines = [line.as_dict() for line in digest.collect(group, period_from, period_to)]
    with transaction.atomic():
        report = create_record(
            Report,
            author=author,
            group=group,
            texts={"text": "", "basis": json.dumps(lines)},
            occurred_on=day,
            period_from=period_from,
            period_to=period_to,
        )
        audit_record("report.written", by=author, record=report)
        record_event(report, Code.WRITTEN, by=author, occurred_on=day)
    return report


def write_report(
    *,
    author: User,
    group: Group,
    period_from: datetime.date,
    period_to: datetime.date,
    text: str,
    audience: Iterable[Group] = (),
    occurred_on: datetime.date | None = None,
) -> Report:
    """A draft report with its text already written, readable by ``audience``
    too (for the test world and older callers)."""
    _check_period(period_from, period_to)
    day = day_it_happened(occurred_on, since_the_start(group.process))
    lines = [line.as_dict() for line in digest.collect(group, period_from, period_to)]
    with transaction.atomic():
        report = create_record(
            Report,
            author=author,
            group=group,
            audience=audience,
            texts={"text": text, "basis": json.dumps(lines)},
            occurred_on=day,
            period_from=period_from,
            period_to=period_to,
        )
        audit_record("report.written", by=author, record=report)
    return report


def edit_draft(report: Report, *, by: User, expected_version: int, changes: dict[str, Any]) -> None:
    """Save an edit of a draft (S38); refused once the report is sent, as it
    is on the locked row now, not as the page showed it."""
    if "period_from" in changes or "period_to" in changes:
        _check_period(
            changes.get("period_from", report.period_from),
            changes.get("period_to", report.period_to),
        )
    with transaction.atomic():
        writes.still(report, lambda r: r.status == Report.Status.DRAFT, FROZEN)
        edit_record(report, by=by, expected_version=expected_version, changes=changes)


def sign(report: Report, *, by: User) -> Signoff:
    """``by`` signs off the report's current version."""
    with transaction.atomic():
        writes.still(report, lambda r: r.status == Report.Status.DRAFT, FROZEN)
        try:
            with transaction.atomic():
                signoff = Signoff.objects.create(report=report, user=by, version=report.version)
        except IntegrityError:
            raise Refused(ALREADY_SIGNED) from None
        audit_record("report.signed", by=by, record=report, target=signoff)
        record_event(report, Code.SIGNED, by=by)
    return signoff


def send(report: Report, *, by: User, sent_on: datetime.date | None = None) -> None:
    """Send the report to the supervision group: they read it from now on,
    and it is frozen, its text and lines kept as they are now."""
    start = report.period_from
    floor = (start, SENT_BEFORE_PERIOD)
    day = day_it_happened(sent_on, since_the_start(report.process), floor)
    with transaction.atomic():
        writes.transition(
            report, Report.Status.SENT, allowed={Report.Status.DRAFT: [Report.Status.SENT]}
        )
        signoffs = list(report.signoffs.filter(version=report.version).select_related("user"))
        if not signoffs:
            raise Refused(NOT_SIGNED)
        report.sent_on, report.sent_at, report.sent_by = day, timezone.now(), by
        report.snapshot = json.dumps(
            {
                "text": str(report.text),
                "lines": report.drafted_lines(),
                "what_changed": str(report.what_changed or ""),
                "period": [report.period_from.isoformat(), report.period_to.isoformat()],
                "version": report.version,
                "signed": [
                    [s.user.username if s.user else "", s.signed_at.isoformat()] for s in signoffs
                ],
            }
        )
        report.save(update_fields=["status", "sent_on", "sent_at", "sent_by", "snapshot"])
        readers = {g.pk: g for g in report.audience_groups.all()}
        for group in supervision_of(report.author_group):
            readers.setdefault(group.pk, group)
        set_audience(report, readers.values())
        report._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # the audience changed
        audit_record("report.sent", by=by, record=report)
        record_event(report, Code.SENT, by=by, occurred_on=day)
        earlier = report.corrects
        if earlier is not None:
            record_event(earlier, Code.CORRECTED, by=by, occurred_on=day)


def correct(report: Report, *, by: User, what_changed: str) -> Report:
    """A new draft that corrects the sent ``report``: its period, text and
    lines to start from, and what changed; sent like any report."""
    with transaction.atomic():
        writes.still(report, lambda r: r.status == Report.Status.SENT, NOT_SENT)
        if Report.objects.filter(corrects=report).exists():
            raise Refused(ALREADY_CORRECTED)
        sent = report.sent()
        new = create_record(
            Report,
            author=by,
            group=report.author_group,
            texts={
                "text": str(sent.get("text", report.text)),
                "basis": json.dumps(report.lines()),
                "what_changed": what_changed,
            },
            occurred_on=timezone.localdate(),
            period_from=report.period_from,
            period_to=report.period_to,
            corrects=report,
        )
        audit_record("report.correction_written", by=by, record=new)
        record_event(new, Code.WRITTEN, by=by)
    return new


def sent_day(report: Report) -> str:
    return formats.date_format(report.sent_on, "DATE_FORMAT") if report.sent_on else ""
