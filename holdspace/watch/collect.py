"""The watchdog's facts, read from the database: dates, statuses, who belongs
where. Never a word of content and no key needed; a fixed number of queries
however many processes there are."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.commitments.models import Agreement, Step
from holdspace.contact import figures
from holdspace.contact.models import Contact, Meeting
from holdspace.processes import access
from holdspace.processes.models import Membership, Process, RecordAudience, Responsibility
from holdspace.reports.models import Report
from holdspace.watch import rules, sources
from holdspace.watch.models import Cadence

Ids = frozenset[uuid.UUID]


def watched(processes: QuerySet[Process] | None = None) -> QuerySet[Process]:
    """The processes the watchdog looks at: the active ones."""
    return (processes if processes is not None else Process.objects.all()).filter(
        status=Process.Status.ACTIVE
    )


def facts_for(processes: Iterable[Process]) -> list[rules.Facts]:
    processes = list(processes)
    ids = [process.pk for process in processes]
    readers = _readers(ids)
    cadences = {c.process_id: c for c in Cadence.objects.filter(process_id__in=ids)}
    contact_groups: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for process_id, group_id in Responsibility.objects.filter(
        process_id__in=ids, kind=Responsibility.Kind.CONTACT
    ).values_list("process_id", "group_id"):
        contact_groups[process_id].add(group_id)
    contacts, meetings = _contacts(ids, readers), _meetings(ids, readers)
    reports, (steps, agreements) = _reports(ids, readers), _due(ids, readers)
    commitments = _commitments(ids)
    return [
        rules.Facts(
            process=process.pk,
            started_on=process.started_on,
            cadence=_cadence(cadences.get(process.pk)),
            contact_groups=frozenset(contact_groups[process.pk]),
            contacts=tuple(contacts[process.pk]),
            meetings=tuple(meetings[process.pk]),
            reports=tuple(reports[process.pk]),
            steps=tuple(steps[process.pk]),
            agreements=tuple(agreements[process.pk]),
            commitments=tuple(commitments[process.pk]),
        )
        for process in processes
    ]


def _cadence(cadence: Cadence | None) -> rules.Cadence:
    if cadence is None:
        return rules.Cadence()
    return rules.Cadence(cadence.contact_days, cadence.no_answer_days, cadence.report_days)


def _readers(process_ids: list[uuid.UUID]) -> dict[uuid.UUID, Ids]:
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    rows = RecordAudience.objects.filter(
        record__process_id__in=process_ids,
        record__kind__in=("contact", "meeting", "report", "step", "agreement"),
    ).values_list("record_id", "group_id")
    for record_id, group_id in rows:
        found[record_id].add(group_id)
    return {record_id: frozenset(groups) for record_id, groups in found.items()}


def _contacts(
    ids: list[uuid.UUID], readers: dict[uuid.UUID, Ids]
) -> dict[uuid.UUID, list[rules.ContactFact]]:
    found: dict[uuid.UUID, list[rules.ContactFact]] = defaultdict(list)
    rows = Contact.objects.filter(process_id__in=ids).values_list(
        "pk", "process_id", "occurred_on", "direction", "counterpart", "answered_on"
    )
    for pk, process_id, on, direction, counterpart, answered in rows:
        outgoing = direction == Contact.Direction.OUTGOING
        with_him = counterpart == Contact.Counterpart.HARMING
        exchange = figures.Exchange(on, outgoing, with_him, answered)
        found[process_id].append(rules.ContactFact(exchange, readers.get(pk, frozenset())))
    return found


def _meetings(
    ids: list[uuid.UUID], readers: dict[uuid.UUID, Ids]
) -> dict[uuid.UUID, list[rules.MeetingFact]]:
    found: dict[uuid.UUID, list[rules.MeetingFact]] = defaultdict(list)
    rows = Meeting.objects.filter(process_id__in=ids).values_list(
        "pk", "process_id", "occurred_on", "outcome", "internal", "counterpart"
    )
    for pk, process_id, on, outcome, internal, counterpart in rows:
        who = readers.get(pk, frozenset())
        # A meeting with his surroundings is not a meeting with him.
        without_him = internal or counterpart != Contact.Counterpart.HARMING
        found[process_id].append(rules.MeetingFact(pk, on, outcome, without_him, who))
    return found


def _reports(
    ids: list[uuid.UUID], readers: dict[uuid.UUID, Ids]
) -> dict[uuid.UUID, list[rules.ReportFact]]:
    """Reports SENT to supervision, on the day they were sent: a draft, however
    long, does not count as reporting."""
    found: dict[uuid.UUID, list[rules.ReportFact]] = defaultdict(list)
    sent = Report.objects.filter(process_id__in=ids, status=Report.Status.SENT)
    for pk, process_id, on in sent.values_list("pk", "process_id", "sent_on"):
        if on is not None:
            found[process_id].append(rules.ReportFact(on, readers.get(pk, frozenset())))
    return found


DueByProcess = dict[uuid.UUID, list[rules.DueFact]]


def _due(ids: list[uuid.UUID], readers: dict[uuid.UUID, Ids]) -> tuple[DueByProcess, DueByProcess]:
    """(open steps' due dates, agreements' review and end dates) by process."""
    steps: DueByProcess = defaultdict(list)
    for pk, process_id, status, due in Step.objects.filter(process_id__in=ids).values_list(
        "pk", "process_id", "status", "due_on"
    ):
        steps[process_id].append(rules.DueFact(pk, status, readers.get(pk, frozenset()), due=due))
    agreements: DueByProcess = defaultdict(list)
    for pk, process_id, status, review, end in Agreement.objects.filter(
        process_id__in=ids
    ).values_list("pk", "process_id", "status", "review_on", "ends_on"):
        who = readers.get(pk, frozenset())
        agreements[process_id].append(rules.DueFact(pk, status, who, review=review, end=end))
    return steps, agreements


def _commitments(ids: list[uuid.UUID]) -> dict[uuid.UUID, list[rules.CommitmentFact]]:
    active = Membership.objects.active().filter(group__process_id__in=ids)
    coordinators: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for group_id, user_id in active.filter(role=Membership.Role.COORDINATOR).values_list(
        "group_id", "user_id"
    ):
        coordinators[group_id].add(user_id)
    found: dict[uuid.UUID, list[rules.CommitmentFact]] = defaultdict(list)
    rows = active.exclude(commitment_until=None).values_list(
        "group__process_id", "user_id", "group_id", "commitment_until"
    )
    for process_id, user_id, group_id, until in rows:
        if until is not None:
            who = frozenset(coordinators[group_id])
            found[process_id].append(rules.CommitmentFact(user_id, group_id, until, who))
    return found


# Alerts --------------------------------------------------------------------------


def current_alerts(
    today: datetime.date | None = None, processes: QuerySet[Process] | None = None
) -> list[rules.Alert]:
    """Every alert of the watched processes (of ``processes``), by due date."""
    day = today or timezone.localdate()
    active = list(watched(processes))
    found = [alert for facts in facts_for(active) for alert in rules.alerts(facts, day)]
    ids = [process.pk for process in active]
    for source in sources.SOURCES.values():
        found += source.alerts(ids, day)
    return sorted(found, key=lambda alert: (alert.due_on, alert.kind))


def alerts_for(
    user: User, today: datetime.date | None = None, processes: QuerySet[Process] | None = None
) -> list[rules.Alert]:
    """The alerts meant for this account: for its active groups, or for it."""
    groups = access.group_ids_for(user)
    if not groups:
        return []
    mine = access.processes_for(user)
    if processes is not None:
        mine = mine.filter(pk__in=processes.values("pk"))
    return [alert for alert in current_alerts(today, mine) if alert.is_for(user.pk, groups)]
