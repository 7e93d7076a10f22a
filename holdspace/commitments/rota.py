"""Who may be where on which day: the weekly pattern, changed by exceptions.

Pure functions over plain data, so that the rules are easy to test: a day is
in conflict when two people may be at the same place ("both"), or when nobody
may go there ("nobody": a gap in the weekly pattern, or a change that left
the day empty). The weekly pattern itself never has two people on one day:
the form refuses that before it is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

WEEKDAYS = range(7)


@dataclass(frozen=True)
class Change:
    """One date's exception: ``instead`` of / ``also`` besides the usual
    person, or ``nobody``."""

    venue: Any
    date: datetime.date
    change: str
    person: Any


@dataclass(frozen=True)
class Day:
    venue: Any
    date: datetime.date
    people: tuple[Any, ...]
    usual: tuple[Any, ...]

    @property
    def conflict(self) -> str | None:
        if len(self.people) > 1:
            return "both"
        if not self.people:
            return "nobody"
        return None


def resolve(
    pattern: Mapping[Any, Mapping[int, Any]],
    changes: Iterable[Change],
    start: datetime.date,
    days: int,
) -> list[Day]:
    """Every (venue, date) from ``start`` for ``days`` days, with who may come.

    ``pattern`` maps venue → weekday → person (one person per weekday).
    """
    by_day: dict[tuple[Any, datetime.date], list[Change]] = {}
    for change in changes:
        by_day.setdefault((change.venue, change.date), []).append(change)
    result = []
    for venue, weekly in pattern.items():
        for offset in range(days):
            date = start + datetime.timedelta(days=offset)
            usual = weekly.get(date.weekday())
            people = [usual] if usual is not None else []
            for change in by_day.get((venue, date), []):
                if change.change == "nobody":
                    people = []
                elif change.change == "instead":
                    people = [change.person]
                elif change.person not in people:
                    people.append(change.person)
            result.append(Day(venue, date, tuple(people), (usual,) if usual is not None else ()))
    return result


def conflicts(days: Iterable[Day]) -> list[Day]:
    return [day for day in days if day.conflict is not None]


def calendar(venues: Iterable[Any], start: datetime.date, days: int) -> list[Day]:
    """``resolve`` for rota venues with their ``slots`` and ``exceptions``
    loaded; venues and people are identified by their ids."""
    venues = list(venues)
    pattern = {
        venue.pk: {slot.weekday: slot.person_id for slot in venue.slots.all()} for venue in venues
    }
    changes = [
        Change(venue.pk, exception.date, exception.change, exception.person_id)
        for venue in venues
        for exception in venue.exceptions.all()
    ]
    return resolve(pattern, changes, start, days)
