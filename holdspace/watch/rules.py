"""The cadence watchdog: what needs attention in a process, and by when.

A pure function of plain metadata — dates, statuses, cadences and who
belongs where, never a word of content — so it runs without anybody's key,
for the dashboard, `holdspace watch` and `holdspace tick` alike.

Every alert has a kind, a process, a due date and a severity:

- ``soon``: the due date is near (within the kind's lead time);
- ``due``: it is today;
- ``overdue``: it has passed.

The kinds, and their due dates:

- ``contact_overdue``: the last *two-way* contact — a reply or message from
  him, or a meeting with him that was held — plus the process's contact
  cadence (default 90 days); the start of the process while there was none.
  Our own attempts, word from his surroundings and a meeting he missed do not
  keep the cadence: they are the group's duty done, not contact with him
  (DESIGN §6). Contact on day 90 keeps the cadence; on day 91 it is overdue.
- ``no_answer``: our first attempt since his last sign of life, plus the
  days the process waits for an answer (default 14). Shown from that day.
- ``meeting_no_show``: he missed the latest meeting; due 14 days later, the
  time to decide together how to respond. Ends once a later meeting is held.
- ``meeting_upcoming``: a planned meeting, due on its date; ``overdue`` when
  the date passed and nobody recorded what happened.
- ``report_due``: the last report to supervision (or the start of the
  process) plus the report cadence (default 90 days).
- ``agreement_review_due``: an agreement's review date.
- ``agreement_ending``: an agreement's end date; ``overdue`` while an
  expired agreement is neither renewed nor ended.
- ``step_overdue``: an open step's due date.
- ``commitment_ending``: the end of a member's commitment to a group: find
  someone to take over. For the member and the group's coordinators.

Each alert says who should see it: the members of some groups (the group
that carries contact, or a record's readers), or some accounts. A group's
alerts come only from records that group may read (S45): a contact the
contact group cannot read neither keeps its cadence nor starts a silence
for it, so its alerts agree with the figures its members see.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from holdspace.commitments import deadlines
from holdspace.contact import figures

CONTACT_OVERDUE = "contact_overdue"
NO_ANSWER = "no_answer"
MEETING_NO_SHOW = "meeting_no_show"
MEETING_UPCOMING = "meeting_upcoming"
REPORT_DUE = "report_due"
AGREEMENT_REVIEW_DUE = "agreement_review_due"
AGREEMENT_ENDING = "agreement_ending"
STEP_OVERDUE = "step_overdue"
COMMITMENT_ENDING = "commitment_ending"
KINDS = (
    CONTACT_OVERDUE,
    NO_ANSWER,
    MEETING_NO_SHOW,
    MEETING_UPCOMING,
    REPORT_DUE,
    AGREEMENT_REVIEW_DUE,
    AGREEMENT_ENDING,
    STEP_OVERDUE,
    COMMITMENT_ENDING,
)

SOON, DUE, OVERDUE = "soon", "due", "overdue"

# How long before its due date an alert appears.
LEAD_DAYS = {
    CONTACT_OVERDUE: 14,
    NO_ANSWER: 0,
    MEETING_NO_SHOW: 14,
    MEETING_UPCOMING: 14,
    REPORT_DUE: 14,
    AGREEMENT_REVIEW_DUE: 14,
    AGREEMENT_ENDING: 14,
    STEP_OVERDUE: 7,
    COMMITMENT_ENDING: 30,
}
NO_SHOW_DECISION_DAYS = 14

Ids = frozenset[uuid.UUID]


@dataclass(frozen=True)
class Cadence:
    contact_days: int = 90
    no_answer_days: int = 14
    report_days: int = 90


@dataclass(frozen=True)
class MeetingFact:
    id: uuid.UUID
    on: datetime.date
    outcome: str  # scheduled, held, no_show, cancelled_by_us, cancelled_by_him
    internal: bool  # without him: the group alone, or with his surroundings
    readers: Ids = frozenset()


@dataclass(frozen=True)
class ContactFact:
    """A contact, and the groups that may read it."""

    exchange: figures.Exchange
    readers: Ids = frozenset()


@dataclass(frozen=True)
class ReportFact:
    """A report's date, and the groups that may read it."""

    on: datetime.date
    readers: Ids = frozenset()


@dataclass(frozen=True)
class DueFact:
    """A step (``due``) or an agreement (``review``, ``end``)."""

    id: uuid.UUID
    status: str
    readers: Ids = frozenset()
    due: datetime.date | None = None
    review: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class CommitmentFact:
    user: uuid.UUID
    group: uuid.UUID
    until: datetime.date
    coordinators: Ids = frozenset()


@dataclass(frozen=True)
class Facts:
    process: uuid.UUID
    started_on: datetime.date
    cadence: Cadence = Cadence()
    contact_groups: Ids = frozenset()  # the group carrying contact with him
    contacts: tuple[ContactFact, ...] = ()
    meetings: tuple[MeetingFact, ...] = ()
    reports: tuple[ReportFact, ...] = ()
    steps: tuple[DueFact, ...] = ()
    agreements: tuple[DueFact, ...] = ()
    commitments: tuple[CommitmentFact, ...] = ()


@dataclass(frozen=True)
class Alert:
    kind: str
    process: uuid.UUID
    due_on: datetime.date
    severity: str
    subject: uuid.UUID | None = None  # the meeting, step, agreement or group
    since: datetime.date | None = None  # what the due date counts from
    member: uuid.UUID | None = None  # commitment_ending: whose commitment
    groups: Ids = field(default=frozenset(), compare=False)
    users: Ids = field(default=frozenset(), compare=False)

    @property
    def key(self) -> str:
        """What a reminder remembers: the same alert at the same severity."""
        return f"{self.kind}|{self.subject or self.process}|{self.due_on}|{self.severity}"

    def is_for(self, user: uuid.UUID, groups: frozenset[uuid.UUID] | set[uuid.UUID]) -> bool:
        return user in self.users or bool(self.groups & groups)


def severity(due: datetime.date, today: datetime.date, lead_days: int) -> str | None:
    """None while the due date is further away than the lead time."""
    if today < due - datetime.timedelta(days=lead_days):
        return None
    if deadlines.is_overdue(due, today):  # what overdue means on every page
        return OVERDUE
    return DUE if today == due else SOON


def alerts(facts: Facts, today: datetime.date) -> list[Alert]:
    """Everything in this process that needs attention today, by due date."""
    found = [
        *_contact(facts, today),
        *_meetings(facts, today),
        *_report(facts, today),
        *_agreements(facts, today),
        *_steps(facts, today),
        *_commitments(facts, today),
    ]
    return sorted(_merged(found), key=lambda alert: (alert.due_on, alert.kind))


def _merged(found: list[Alert]) -> list[Alert]:
    """One alert for the same thing, due the same day, for all the groups and
    accounts that reach it (alerts compare without their audience)."""
    merged: dict[Alert, Alert] = {}
    for alert in found:
        seen = merged.get(alert)
        merged[alert] = (
            alert
            if seen is None
            else replace(seen, groups=seen.groups | alert.groups, users=seen.users | alert.users)
        )
    return list(merged.values())


def _alert(
    kind: str, facts: Facts, due: datetime.date, today: datetime.date, **more: object
) -> Iterator[Alert]:
    yield from alert(kind, facts.process, due, today, LEAD_DAYS[kind], **more)


def alert(
    kind: str,
    process: uuid.UUID,
    due: datetime.date,
    today: datetime.date,
    lead_days: int,
    **more: object,
) -> Iterator[Alert]:
    """The alert of ``kind`` due on ``due``, if it shows today (none while
    the due date is further away than the lead time). Registered sources
    (:mod:`holdspace.watch.sources`) make theirs with this too."""
    level = severity(due, today, lead_days)
    if level is not None:
        yield Alert(kind, process, due, level, **more)  # type: ignore[arg-type]  # Alert's own fields, from the callers


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


# Contact and answers -------------------------------------------------------------


def _gatherings(facts: Facts, group: uuid.UUID) -> list[figures.Gathering]:
    """Meetings with him that ``group`` may read."""
    return [
        figures.Gathering(m.on, m.outcome)
        for m in facts.meetings
        if not m.internal and group in m.readers
    ]


def _contact(facts: Facts, today: datetime.date) -> Iterator[Alert]:
    """Contact and answers, in the words of :mod:`holdspace.contact.figures`,
    for each group carrying contact, from what that group may read."""
    for group in sorted(facts.contact_groups):
        who = {"groups": frozenset({group})}
        exchanges = [c.exchange for c in facts.contacts if group in c.readers]
        found = figures.compute(exchanges, _gatherings(facts, group), today=today)
        ago = found.days_since_two_way
        last = None if ago is None else today - _days(ago)
        due = (last or facts.started_on) + _days(facts.cadence.contact_days)
        yield from _alert(CONTACT_OVERDUE, facts, due, today, since=last, **who)
        waiting = next((s.start for s in found.silences if s.ongoing), None)
        if waiting is not None:
            due = waiting + _days(facts.cadence.no_answer_days)
            yield from _alert(NO_ANSWER, facts, due, today, since=waiting, **who)


# Meetings --------------------------------------------------------------------------


def _meetings(facts: Facts, today: datetime.date) -> Iterator[Alert]:
    for meeting in facts.meetings:
        if meeting.outcome == "scheduled":
            yield from _alert(
                MEETING_UPCOMING,
                facts,
                meeting.on,
                today,
                subject=meeting.id,
                groups=meeting.readers,
            )
    with_him = [
        m
        for m in facts.meetings
        if not m.internal and m.on <= today and m.outcome in ("held", "no_show")
    ]
    # Each group judges by the latest meeting it may read.
    watching = facts.contact_groups.union(*(m.readers for m in with_him))
    for group in sorted(watching):
        readable = [m for m in with_him if group in m.readers]
        latest = max(readable, key=lambda m: m.on, default=None)
        if latest is not None and latest.outcome == "no_show":
            due = latest.on + _days(NO_SHOW_DECISION_DAYS)
            yield from _alert(
                MEETING_NO_SHOW,
                facts,
                due,
                today,
                subject=latest.id,
                since=latest.on,
                groups=frozenset({group}),
            )


# Reports, agreements, steps, commitments ---------------------------------------


def _report(facts: Facts, today: datetime.date) -> Iterator[Alert]:
    for group in sorted(facts.contact_groups):
        written = (r.on for r in facts.reports if r.on <= today and group in r.readers)
        last = max(written, default=None)
        due = (last or facts.started_on) + _days(facts.cadence.report_days)
        yield from _alert(REPORT_DUE, facts, due, today, since=last, groups=frozenset({group}))


def _agreements(facts: Facts, today: datetime.date) -> Iterator[Alert]:
    for agreement in facts.agreements:
        more = {"subject": agreement.id, "groups": agreement.readers}
        if agreement.status == "agreed" and agreement.review is not None:
            yield from _alert(AGREEMENT_REVIEW_DUE, facts, agreement.review, today, **more)
        if agreement.status in ("agreed", "expired") and agreement.end is not None:
            yield from _alert(AGREEMENT_ENDING, facts, agreement.end, today, **more)


def _steps(facts: Facts, today: datetime.date) -> Iterator[Alert]:
    for step in facts.steps:
        if step.status == "open" and step.due is not None:
            yield from _alert(
                STEP_OVERDUE, facts, step.due, today, subject=step.id, groups=step.readers
            )


def _commitments(facts: Facts, today: datetime.date) -> Iterator[Alert]:
    for commitment in facts.commitments:
        yield from _alert(
            COMMITMENT_ENDING,
            facts,
            commitment.until,
            today,
            subject=commitment.group,
            member=commitment.user,
            users=frozenset({commitment.user}) | commitment.coordinators,
        )
