"""The watchdog's rules at their boundaries: the day before, the day of, the
day after (DESIGN C6). Plain data in, alerts out."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

import pytest

from holdspace.contact.figures import Exchange
from holdspace.watch import rules
from holdspace.watch.rules import (
    Cadence,
    CommitmentFact,
    ContactFact,
    DueFact,
    Facts,
    MeetingFact,
    ReportFact,
)

START = datetime.date(2026, 1, 1)
PROCESS = uuid.uuid4()
CONTACT_GROUP = uuid.uuid4()
READERS = frozenset({uuid.uuid4()})
OURS = frozenset({CONTACT_GROUP})


def _facts(**more: object) -> Facts:
    """Facts of a process; plain contacts and report dates are the contact
    group's own (readable by it)."""
    contacts = cast(tuple[Any, ...], more.pop("contacts", ()))
    reports = cast(tuple[Any, ...], more.pop("reports", ()))
    return Facts(
        process=PROCESS,
        started_on=START,
        contact_groups=OURS,
        contacts=tuple(c if isinstance(c, ContactFact) else ContactFact(c, OURS) for c in contacts),
        reports=tuple(r if isinstance(r, ReportFact) else ReportFact(r, OURS) for r in reports),
        **more,  # type: ignore[arg-type]  # the test passes Facts' own fields
    )


def _on(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


def _found(facts: Facts, day: int, kind: str) -> list[rules.Alert]:
    return [alert for alert in rules.alerts(facts, _on(day)) if alert.kind == kind]


def _severity(facts: Facts, day: int, kind: str) -> str | None:
    found = _found(facts, day, kind)
    assert len(found) <= 1
    return found[0].severity if found else None


# Contact and answers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [(75, None), (76, "soon"), (89, "soon"), (90, "due"), (91, "overdue"), (400, "overdue")],
)
def test_contact_is_due_90_days_after_the_last(day: int, expected: str | None) -> None:
    facts = _facts(contacts=(Exchange(_on(0), outgoing=False, with_him=True),))
    assert _severity(facts, day, rules.CONTACT_OVERDUE) == expected


def _meeting(day: int, outcome: str, *, internal: bool = False) -> MeetingFact:
    return MeetingFact(uuid.uuid4(), _on(day), outcome, internal=internal, readers=OURS)


@pytest.mark.parametrize(
    ("contacts", "meetings", "since"),
    [
        ((Exchange(_on(50), outgoing=False, with_him=True),), (), 50),  # he wrote
        ((Exchange(_on(40), outgoing=True, with_him=True, answered_on=_on(50)),), (), 50),
        ((), (_meeting(50, "held"),), 50),
        # Our attempts, his surroundings, a meeting he missed: no contact with him.
        ((Exchange(_on(50), outgoing=True, with_him=True),), (), None),
        ((Exchange(_on(50), outgoing=False, with_him=False),), (), None),
        ((Exchange(_on(50), outgoing=True, with_him=False),), (), None),
        ((), (_meeting(50, "no_show"), _meeting(55, "cancelled_by_him")), None),
        ((), (_meeting(50, "held", internal=True),), None),
    ],
)
def test_only_two_way_contact_keeps_the_cadence(
    contacts: tuple[Exchange, ...], meetings: tuple[MeetingFact, ...], since: int | None
) -> None:
    """A reply or message from him, or a meeting held with him (DESIGN §6);
    while there was none, the cadence counts from the start of the process."""
    [alert] = _found(_facts(contacts=contacts, meetings=meetings), 150, rules.CONTACT_OVERDUE)
    assert alert.since == (None if since is None else _on(since))
    assert alert.due_on == _on((since or 0) + 90)


def test_the_cadence_is_the_processs_own() -> None:
    facts = _facts(
        cadence=Cadence(contact_days=30),
        contacts=(Exchange(_on(0), outgoing=True, with_him=True),),
    )
    assert [_severity(facts, d, rules.CONTACT_OVERDUE) for d in (29, 30, 31)] == [
        "soon",
        "due",
        "overdue",
    ]


@pytest.mark.parametrize(("day", "expected"), [(13, None), (14, "due"), (15, "overdue")])
def test_no_answer_after_14_days(day: int, expected: str | None) -> None:
    facts = _facts(contacts=(Exchange(_on(0), outgoing=True, with_him=True),))
    assert _severity(facts, day, rules.NO_ANSWER) == expected


def test_no_answer_counts_from_the_first_unanswered_attempt_and_ends_with_his_answer() -> None:
    attempts = (
        Exchange(_on(0), outgoing=True, with_him=True),
        Exchange(_on(10), outgoing=True, with_him=True),
    )
    [alert] = _found(_facts(contacts=attempts), 20, rules.NO_ANSWER)
    assert alert.since == _on(0) and alert.groups == frozenset({CONTACT_GROUP})
    answered = (*attempts, Exchange(_on(12), outgoing=False, with_him=True))
    assert _found(_facts(contacts=answered), 20, rules.NO_ANSWER) == []
    # Word from his surroundings is not an answer from him.
    surroundings = (*attempts, Exchange(_on(12), outgoing=False, with_him=False))
    assert len(_found(_facts(contacts=surroundings), 20, rules.NO_ANSWER)) == 1


# Meetings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"), [(85, None), (86, "soon"), (99, "soon"), (100, "due"), (101, "overdue")]
)
def test_a_planned_meeting_is_announced_two_weeks_ahead(day: int, expected: str | None) -> None:
    meeting = MeetingFact(uuid.uuid4(), _on(100), "scheduled", internal=False, readers=READERS)
    facts = _facts(meetings=(meeting,))
    assert _severity(facts, day, rules.MEETING_UPCOMING) == expected
    if expected:
        assert _found(facts, day, rules.MEETING_UPCOMING)[0].groups == READERS


def test_a_missed_meeting_asks_for_a_decision_until_a_later_one_is_held() -> None:
    missed = MeetingFact(uuid.uuid4(), _on(10), "no_show", internal=False, readers=READERS | OURS)
    facts = _facts(meetings=(missed,))
    assert [_severity(facts, d, rules.MEETING_NO_SHOW) for d in (10, 23, 24, 25)] == [
        "soon",
        "soon",
        "due",
        "overdue",
    ]
    [alert] = _found(facts, 30, rules.MEETING_NO_SHOW)
    assert alert.subject == missed.id and alert.groups == READERS | {CONTACT_GROUP}
    held = MeetingFact(uuid.uuid4(), _on(20), "held", internal=False, readers=READERS | OURS)
    assert _found(_facts(meetings=(missed, held)), 30, rules.MEETING_NO_SHOW) == []
    internal = MeetingFact(uuid.uuid4(), _on(20), "held", internal=True, readers=OURS)
    assert len(_found(_facts(meetings=(missed, internal)), 30, rules.MEETING_NO_SHOW)) == 1


def test_a_group_is_alerted_only_from_what_it_may_read_S45() -> None:
    other = frozenset({uuid.uuid4()})
    # A recent contact that only another group may read does not keep the
    # contact group's cadence, nor answer its attempt.
    reply = ContactFact(Exchange(_on(0), outgoing=False, with_him=True), OURS)
    ours = ContactFact(Exchange(_on(10), outgoing=True, with_him=True), OURS)
    theirs = ContactFact(Exchange(_on(80), outgoing=False, with_him=True), other)
    facts = _facts(contacts=(reply, ours, theirs))
    [overdue] = _found(facts, 119, rules.CONTACT_OVERDUE)
    assert overdue.since == _on(0) and overdue.groups == OURS
    assert _found(facts, 119, rules.NO_ANSWER)[0].groups == OURS
    # A report the contact group cannot read does not count as its report.
    assert _severity(_facts(reports=(ReportFact(_on(60), other),)), 91, "report_due") == "overdue"
    # A held meeting it cannot read does not end its no-show; the group that
    # reads that meeting is not asked to decide.
    missed = MeetingFact(uuid.uuid4(), _on(10), "no_show", internal=False, readers=OURS | other)
    held = MeetingFact(uuid.uuid4(), _on(20), "held", internal=False, readers=other)
    [alert] = _found(_facts(meetings=(missed, held)), 22, rules.MEETING_NO_SHOW)
    assert alert.subject == missed.id and alert.groups == OURS


# Reports, agreements, steps, commitments -----------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"), [(75, None), (89, "soon"), (90, "due"), (91, "overdue")]
)
def test_a_report_is_due_every_90_days(day: int, expected: str | None) -> None:
    assert _severity(_facts(), day, rules.REPORT_DUE) == expected
    written = _facts(reports=(_on(60),))
    assert _severity(written, day + 60, rules.REPORT_DUE) == expected


def test_agreements_review_and_end() -> None:
    agreed = DueFact(uuid.uuid4(), "agreed", READERS, review=_on(30), end=_on(90))
    facts = _facts(agreements=(agreed,))
    assert _severity(facts, 15, rules.AGREEMENT_REVIEW_DUE) is None
    assert _severity(facts, 16, rules.AGREEMENT_REVIEW_DUE) == "soon"
    assert _severity(facts, 31, rules.AGREEMENT_REVIEW_DUE) == "overdue"
    assert [_severity(facts, d, rules.AGREEMENT_ENDING) for d in (75, 76, 90, 91)] == [
        None,
        "soon",
        "due",
        "overdue",
    ]
    expired = DueFact(agreed.id, "expired", READERS, review=_on(30), end=_on(90))
    assert _severity(_facts(agreements=(expired,)), 120, rules.AGREEMENT_ENDING) == "overdue"
    assert _severity(_facts(agreements=(expired,)), 120, rules.AGREEMENT_REVIEW_DUE) is None
    for status in ("renewed", "ended", "proposed"):
        done = DueFact(agreed.id, status, READERS, review=_on(30), end=_on(90))
        found = rules.alerts(_facts(agreements=(done,)), _on(120))
        assert [a for a in found if a.kind.startswith("agreement")] == [], status


def test_open_steps_are_due_on_their_date() -> None:
    step = DueFact(uuid.uuid4(), "open", READERS, due=_on(40))
    facts = _facts(steps=(step,))
    assert [_severity(facts, d, rules.STEP_OVERDUE) for d in (32, 33, 40, 41)] == [
        None,
        "soon",
        "due",
        "overdue",
    ]
    done = _facts(steps=(DueFact(step.id, "done", READERS, due=_on(40)),))
    assert _found(done, 41, rules.STEP_OVERDUE) == []


def test_a_commitment_ending_is_for_the_member_and_the_coordinators() -> None:
    member, coordinator, group = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ending = CommitmentFact(member, group, _on(60), coordinators=frozenset({coordinator}))
    facts = _facts(commitments=(ending,))
    assert [_severity(facts, d, rules.COMMITMENT_ENDING) for d in (29, 30, 60, 61)] == [
        None,
        "soon",
        "due",
        "overdue",
    ]
    [alert] = _found(facts, 45, rules.COMMITMENT_ENDING)
    assert alert.is_for(member, set()) and alert.is_for(coordinator, set())
    assert not alert.is_for(uuid.uuid4(), {CONTACT_GROUP})
    assert alert.member == member and alert.subject == group


def test_an_alert_is_remembered_by_its_severity() -> None:
    facts = _facts(contacts=(Exchange(_on(0), outgoing=True, with_him=True),))
    soon, due = (_found(facts, d, rules.CONTACT_OVERDUE)[0] for d in (89, 90))
    again = _found(facts, 88, rules.CONTACT_OVERDUE)[0]
    assert soon.key == again.key and soon.key != due.key
    assert str(PROCESS) in soon.key and "contact_overdue" in soon.key
