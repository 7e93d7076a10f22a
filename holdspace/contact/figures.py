"""How contact with him has gone: silences, answers and meetings, as numbers.

Pure functions over plain data, so that the rules are easy to test and the
same figures can be shown on the process page and in reports. The figures
never present silence as cooperation (DESIGN §6): our own attempts are
counted as attempts, never as contact with him. The words:

- *Two-way contact* is a reply or a message from him, or a meeting with him
  that was held. Only this keeps the cadence ("contact at least every 90
  days"). His *signs of life* are the days on which there was some.
- A *reply* is a message from him, or an answer to our attempts on a day we
  logged no message from him (one answer may answer several attempts: it is
  one reply, however many attempts it marks answered).
- An *exchange* is any contact logged, either way, with him or his
  surroundings; ``days_since_contact`` counts those (our attempts included)
  and is not shown as contact with him.
- A *silence* is a time the group was waiting for him: it starts with our
  first attempt to reach him after his last sign of life, and ends with his
  next one, or lasts until today (``ongoing``). An attempt on the day of a
  sign of life starts nothing: on one day we cannot tell which came first,
  and a same-day answer to it must not count as a wait.
- A *response time* is the number of days between an attempt and his answer.

Everything is counted up to ``today``; anything dated later (a meeting
planned for next month) is left out of the figures.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

OUTCOMES = ("scheduled", "held", "no_show", "cancelled_by_us", "cancelled_by_him")


@dataclass(frozen=True)
class Exchange:
    """One contact: an e-mail, call, letter or message."""

    on: datetime.date
    # True: the group wrote or called; False: he (or his surroundings) did.
    outgoing: bool
    # False: with people in his surroundings.
    with_him: bool
    # Outgoing only: when he answered; None while unanswered.
    answered_on: datetime.date | None = None

    @property
    def is_attempt(self) -> bool:
        """The group tried to reach him himself."""
        return self.outgoing and self.with_him


@dataclass(frozen=True)
class Gathering:
    """A meeting with him (internal meetings of a group are never passed in)."""

    on: datetime.date
    outcome: str  # one of OUTCOMES


Dated = TypeVar("Dated", Exchange, Gathering)


@dataclass(frozen=True)
class Silence:
    """A time the group was waiting for him, ``days`` long."""

    start: datetime.date
    end: datetime.date
    days: int
    ongoing: bool


@dataclass(frozen=True)
class Figures:
    """What the process page shows about contact with him, as of one day."""

    # Any exchange either way, our own attempts included (see the module).
    days_since_contact: int | None
    # Two-way contact: his last reply or message, or the last meeting held.
    days_since_answer: int | None
    longest_silence: Silence | None
    silences: tuple[Silence, ...]
    attempts: int
    answered: int
    unanswered: int
    median_response_days: int | None
    longest_response_days: int | None
    meetings_held: int
    no_shows: int
    cancelled_by_him: int
    cancelled_by_us: int
    replies: int = 0
    last_attempt: datetime.date | None = None

    @property
    def days_since_two_way(self) -> int | None:
        """Days since the last two-way contact: what the cadence counts."""
        return self.days_since_answer

    @property
    def current_silence(self) -> Silence | None:
        """The wait going on now, if the group is waiting for him."""
        return next((silence for silence in self.silences if silence.ongoing), None)


@dataclass(frozen=True)
class Year:
    """One calendar year of contact, for the "over time" table."""

    year: int
    attempts: int
    answered: int  # of this year's attempts, answered by today (perhaps the next year)
    signs_of_life: int  # distinct days of two-way contact
    meetings_held: int
    no_shows: int
    longest_silence_days: int  # the longest part of any silence inside this year
    replies: int = 0  # replies and messages from him this year
    unanswered: int = 0  # of this year's attempts, still without an answer


def answer_of(exchange: Exchange, today: datetime.date) -> datetime.date | None:
    """The day he answered this attempt, if that was by ``today``."""
    if not exchange.is_attempt or exchange.answered_on is None or exchange.answered_on > today:
        return None
    return exchange.answered_on


def signs_of_life(
    exchanges: Iterable[Exchange], gatherings: Iterable[Gathering], *, today: datetime.date
) -> set[datetime.date]:
    """The days up to ``today`` on which he got in touch, answered, or met the group."""
    exchanges = _up_to(exchanges, today)
    days = {exchange.on for exchange in exchanges if not exchange.outgoing and exchange.with_him}
    days.update(day for exchange in exchanges if (day := answer_of(exchange, today)) is not None)
    days.update(meeting.on for meeting in _up_to(gatherings, today) if meeting.outcome == "held")
    return days


def reply_days(exchanges: Iterable[Exchange], *, today: datetime.date) -> list[datetime.date]:
    """The day of each reply or message from him up to ``today``, in order: his
    messages, and the answer days on which no message of his was logged."""
    exchanges = _up_to(exchanges, today)
    messages = [
        exchange.on for exchange in exchanges if not exchange.outgoing and exchange.with_him
    ]
    answers = {day for exchange in exchanges if (day := answer_of(exchange, today)) is not None}
    return sorted([*messages, *(answers - set(messages))])


def find_silences(
    exchanges: Iterable[Exchange], gatherings: Iterable[Gathering], *, today: datetime.date
) -> tuple[Silence, ...]:
    """Every time the group waited for him, in order (see the module's words)."""
    exchanges = _up_to(exchanges, today)
    signs = signs_of_life(exchanges, gatherings, today=today)
    attempts = {exchange.on for exchange in exchanges if exchange.is_attempt}
    silences = []
    waiting_since: datetime.date | None = None
    for day in sorted(signs | attempts):
        if day in signs:
            if waiting_since is not None:
                silences.append(Silence(waiting_since, day, (day - waiting_since).days, False))
            waiting_since = None
        elif waiting_since is None:
            waiting_since = day
    if waiting_since is not None:
        silences.append(Silence(waiting_since, today, (today - waiting_since).days, True))
    return tuple(silences)


def compute(
    exchanges: Iterable[Exchange], gatherings: Iterable[Gathering], *, today: datetime.date
) -> Figures:
    """The figures for the process page, counted up to ``today``."""
    exchanges = _up_to(exchanges, today)
    gatherings = _up_to(gatherings, today)
    attempts = [exchange for exchange in exchanges if exchange.is_attempt]
    waits = [
        (answer - attempt.on).days
        for attempt in attempts
        if (answer := answer_of(attempt, today)) is not None
    ]
    silences = find_silences(exchanges, gatherings, today=today)
    outcomes = [meeting.outcome for meeting in gatherings]
    return Figures(
        days_since_contact=_days_since(_contacts(exchanges, gatherings, today), today),
        days_since_answer=_days_since(signs_of_life(exchanges, gatherings, today=today), today),
        longest_silence=max(silences, key=lambda silence: silence.days, default=None),
        silences=silences,
        attempts=len(attempts),
        answered=len(waits),
        unanswered=len(attempts) - len(waits),
        median_response_days=statistics.median_low(waits) if waits else None,
        longest_response_days=max(waits, default=None),
        meetings_held=outcomes.count("held"),
        no_shows=outcomes.count("no_show"),
        cancelled_by_him=outcomes.count("cancelled_by_him"),
        cancelled_by_us=outcomes.count("cancelled_by_us"),
        replies=len(reply_days(exchanges, today=today)),
        last_attempt=max((attempt.on for attempt in attempts), default=None),
    )


def by_year(
    exchanges: Iterable[Exchange],
    gatherings: Iterable[Gathering],
    *,
    start: datetime.date,
    today: datetime.date,
) -> list[Year]:
    """One row per calendar year from ``start``'s to ``today``'s, in order.

    A silence over New Year is split at midnight, so that each year shows
    the part of the wait that fell inside it.
    """
    exchanges = _up_to(exchanges, today)
    gatherings = _up_to(gatherings, today)
    signs = signs_of_life(exchanges, gatherings, today=today)
    silences = find_silences(exchanges, gatherings, today=today)
    replies = reply_days(exchanges, today=today)
    years = []
    for year in range(start.year, today.year + 1):
        attempts = [e for e in exchanges if e.is_attempt and e.on.year == year]
        outcomes = [meeting.outcome for meeting in gatherings if meeting.on.year == year]
        answered = sum(answer_of(attempt, today) is not None for attempt in attempts)
        years.append(
            Year(
                year=year,
                attempts=len(attempts),
                answered=answered,
                signs_of_life=sum(day.year == year for day in signs),
                meetings_held=outcomes.count("held"),
                no_shows=outcomes.count("no_show"),
                longest_silence_days=max((_days_within(s, year) for s in silences), default=0),
                replies=sum(day.year == year for day in replies),
                unanswered=len(attempts) - answered,
            )
        )
    return years


def _up_to(items: Iterable[Dated], today: datetime.date) -> list[Dated]:
    return [item for item in items if item.on <= today]


def _contacts(
    exchanges: Sequence[Exchange], gatherings: Sequence[Gathering], today: datetime.date
) -> set[datetime.date]:
    days = {exchange.on for exchange in exchanges}
    days.update(day for exchange in exchanges if (day := answer_of(exchange, today)) is not None)
    days.update(meeting.on for meeting in gatherings if meeting.outcome in ("held", "no_show"))
    return days


def _days_since(days: set[datetime.date], today: datetime.date) -> int | None:
    return (today - max(days)).days if days else None


def _days_within(silence: Silence, year: int) -> int:
    first = max(silence.start, datetime.date(year, 1, 1))
    last = min(silence.end, datetime.date(year + 1, 1, 1))
    return max((last - first).days, 0)
