"""Logging contacts, planning meetings and recording what happened, reporting.

Callers have passed the access core. The rules that hold whoever calls:
nothing is dated in the future that has not happened, an answer never comes
before the attempt, and what happened at a meeting is recorded once — also
when two people record it at the same moment (checked on the locked row, S52).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.contact.models import Contact, Meeting
from holdspace.processes import writes
from holdspace.processes.models import Group
from holdspace.processes.services import (
    Refused,
    audit_record,
    create_record,
    day_it_happened,
    since_the_start,
)

ANSWER_BEFORE_ATTEMPT = _("An answer cannot come before the attempt it answers.")
ALREADY_ANSWERED = _("This attempt is already marked as answered.")
ANSWERED_MEANWHILE = _(
    "Someone marked one of these attempts answered a moment ago. Nothing was saved; please "
    "look at them again."
)


def _today() -> datetime.date:
    return timezone.localdate()


def _not_in_future(day: datetime.date) -> None:
    if day > _today():
        raise Refused(_("Choose today or a day in the past."))


# Contacts ----------------------------------------------------------------------


def log_contact(
    *,
    author: User,
    group: Group,
    occurred_on: datetime.date,
    channel: str,
    direction: str,
    counterpart: str,
    counterpart_note: str,
    summary: str,
    answered_on: datetime.date | None = None,
    answers: Iterable[Contact] = (),
    audience: Iterable[Group] = (),
) -> Contact:
    """A contact, for the author's group (and ``audience``). An incoming one
    from him may answer earlier attempts: they are marked answered that day."""
    _not_in_future(occurred_on)
    outgoing = direction == Contact.Direction.OUTGOING
    if answered_on is not None:
        _check_answer(
            occurred_on, answered_on, outgoing and counterpart == Contact.Counterpart.HARMING
        )
    answered = list(answers) if not outgoing and counterpart == Contact.Counterpart.HARMING else []
    for attempt in answered:
        if not attempt.awaits_answer or attempt.occurred_on > occurred_on:
            raise Refused(ANSWER_BEFORE_ATTEMPT)
    with transaction.atomic():
        contact = create_record(
            Contact,
            author=author,
            group=group,
            audience=audience,
            texts={"summary": summary, "counterpart_note": counterpart_note},
            occurred_on=occurred_on,
            channel=channel,
            direction=direction,
            counterpart=counterpart,
            answered_on=answered_on,
        )
        for attempt in answered:
            writes.still(attempt, lambda a: a.answered_on is None, ANSWERED_MEANWHILE)
            attempt.answered_on = occurred_on
            attempt.save(update_fields=["answered_on"])
        audit_record("contact.logged", by=author, record=contact)
    return contact


def _check_answer(attempted: datetime.date, answered: datetime.date, awaits: bool) -> None:
    if not awaits:
        raise Refused(_("Only our own attempts at contact can be marked as answered."))
    if answered < attempted:
        raise Refused(ANSWER_BEFORE_ATTEMPT)
    _not_in_future(answered)


def mark_answered(contact: Contact, *, by: User, answered_on: datetime.date) -> None:
    """He answered an attempt, on the day he did: after it, never in the
    future, never before the process started."""
    with transaction.atomic():
        writes.still(contact, lambda c: c.answered_on is None, ALREADY_ANSWERED)
        _check_answer(contact.occurred_on, answered_on, contact.awaits_answer)
        day_it_happened(answered_on, since_the_start(contact.process))
        contact.answered_on = answered_on
        contact.save(update_fields=["answered_on"])
        audit_record("contact.answered", by=by, record=contact)


# Meetings ------------------------------------------------------------------------

RECORDED = (
    Meeting.Outcome.HELD,
    Meeting.Outcome.NO_SHOW,
    Meeting.Outcome.CANCELLED_BY_US,
    Meeting.Outcome.CANCELLED_BY_HIM,
)
# A planned meeting gets its outcome once.
OUTCOMES: writes.Transitions = {Meeting.Outcome.SCHEDULED: set(RECORDED)}
ON_ITS_DAY = (Meeting.Outcome.HELD, Meeting.Outcome.NO_SHOW)
NOT_ON_ITS_DAY = _(
    "A meeting is held, or missed, on its own day (%(date)s). If it took place on another "
    "day, change its date first."
)
CALLED_OFF_LATER = _(
    "A meeting is called off before its day (%(date)s), or on it. If he simply did not "
    "come, choose that instead."
)


def outcome_day(meeting: Meeting, outcome: str, day: datetime.date | None) -> datetime.date:
    """The day of ``outcome``: a meeting is held or missed on its own day; it
    is called off on ``day`` (default: today, or its own day if that has
    passed) — never after its day, in the future or before the process started.
    Raises Refused."""
    planned = meeting.occurred_on
    if outcome in ON_ITS_DAY:
        if day is not None and day != planned:
            raise Refused(NOT_ON_ITS_DAY % {"date": formats.date_format(planned, "DATE_FORMAT")})
        return planned
    day = day_it_happened(day or min(planned, _today()), since_the_start(meeting.process))
    if day > planned:
        raise Refused(CALLED_OFF_LATER % {"date": formats.date_format(planned, "DATE_FORMAT")})
    return day


NOT_WITH_HIM = _(
    "Only a meeting with the person who caused harm can be marked as missed or called off "
    "from that side. Say in the minutes what happened."
)


def _check_outcome(day: datetime.date, outcome: str, with_him: bool) -> None:
    if outcome == Meeting.Outcome.SCHEDULED and day < _today():
        raise Refused(_("This date has passed. Say what happened, or choose a date from today on."))
    if outcome in (Meeting.Outcome.HELD, Meeting.Outcome.NO_SHOW) and day > _today():
        raise Refused(_("This meeting has not happened yet."))
    if not with_him and outcome in (Meeting.Outcome.NO_SHOW, Meeting.Outcome.CANCELLED_BY_HIM):
        raise Refused(NOT_WITH_HIM)


def plan_meeting(
    *,
    author: User,
    group: Group,
    occurred_on: datetime.date,
    starts_at: datetime.time | None,
    internal: bool,
    place: str,
    agenda: str,
    preparation_asked: str,
    attendees: Iterable[User],
    outcome: str = Meeting.Outcome.SCHEDULED,
    minutes: str = "",
    follow_ups: str = "",
    counterpart: str = Contact.Counterpart.HARMING,
) -> Meeting:
    """A meeting to come — or one that already happened, with what happened.
    Internal: the group alone; otherwise with him, or with people from his
    surroundings (``counterpart``)."""
    _check_outcome(
        occurred_on, outcome, not internal and counterpart == Contact.Counterpart.HARMING
    )
    with transaction.atomic():
        meeting = create_record(
            Meeting,
            author=author,
            group=group,
            texts={
                "place": place,
                "agenda": agenda,
                "preparation_asked": preparation_asked,
                "minutes": minutes,
                "follow_ups": follow_ups,
            },
            occurred_on=occurred_on,
            starts_at=starts_at,
            internal=internal,
            counterpart=Contact.Counterpart.HARMING if internal else counterpart,
            outcome=outcome,
            outcome_on=None if outcome == Meeting.Outcome.SCHEDULED else min(occurred_on, _today()),
            outcome_recorded_at=None if outcome == Meeting.Outcome.SCHEDULED else timezone.now(),
            preparation=(
                Meeting.Preparation.WAITING if preparation_asked else Meeting.Preparation.NOT_ASKED
            ),
        )
        meeting.attendees.set(attendees)
        audit_record("meeting.planned", by=author, record=meeting)
    return meeting


def record_outcome(
    meeting: Meeting,
    *,
    by: User,
    outcome: str,
    preparation: str,
    minutes: str,
    follow_ups: str,
    happened_on: datetime.date | None = None,
) -> None:
    """What happened: held, he did not come, or cancelled — recorded once,
    with its day (see :func:`outcome_day`)."""
    if outcome not in RECORDED:
        raise Refused(_("Please choose what happened."))
    _check_outcome(meeting.occurred_on, outcome, meeting.with_him)
    with transaction.atomic():
        try:
            writes.transition(meeting, outcome, allowed=OUTCOMES, field="outcome")
        except Refused:
            raise Refused(
                _("What happened at this meeting is already recorded: “%(outcome)s”.")
                % {"outcome": meeting.get_outcome_display()}
            ) from None
        day = outcome_day(meeting, outcome, happened_on)
        locked = meeting
        locked.preparation = preparation
        locked.minutes, locked.follow_ups = minutes, follow_ups
        locked.outcome_on, locked.outcome_recorded_at = day, timezone.now()
        locked.version += 1
        locked.save(
            update_fields=[
                "outcome",
                "outcome_on",
                "preparation",
                "minutes",
                "follow_ups",
                "outcome_recorded_at",
                "version",
            ]
        )
        audit_record("meeting.outcome_recorded", by=by, record=locked)


def set_attendees(meeting: Meeting, *, by: User, attendees: Iterable[User]) -> None:
    with transaction.atomic():
        meeting.attendees.set(attendees)
        audit_record("meeting.attendees_changed", by=by, record=meeting)


# Reports -------------------------------------------------------------------------


def write_report(**kwargs: Any) -> Any:
    """A report to supervision: see :func:`holdspace.reports.services.write_report`
    (reports moved to their own app; this name stays for older callers)."""
    from holdspace.reports import services as reports

    return reports.write_report(**kwargs)


def counterpart_words(terms: Any) -> dict[str, str]:
    """The process's own words for the people a contact is with."""
    return {
        Contact.Counterpart.HARMING: str(terms.harming),
        Contact.Counterpart.SURROUNDINGS: str(_("someone in his or their surroundings")),
    }
