"""Who may be told what, on which day (C8): a pure function of the survivor's
side's consents as plain facts (whom, how much, from when, any embargo) —
no text and no key, so that the service, the pages and the watchdog agree.

The rule:

- A consent is about one person, or about everyone. For each of them, the
  latest consent given on or before a day is the one in force that day.
- An *embargo* ("nobody else until …") in a consent in force lasts up to the
  day before its date: on the date itself it is over. While one runs, only
  people with a consent of their own that covers the material may be told.
- Otherwise a person may be told what their own consent allows, or — without
  one — what the consent for everyone allows. Without any consent, nothing
  is agreed yet.
- What an informing needs: telling without anything written still tells that
  a process exists; the letter (or a copy) needs the letter; the survivor's
  perspective needs that; anything else needs everything.

An informing outside this needs the survivor's side's approval before it can
be recorded as carried out.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

SCOPES = ("nothing", "process", "letter", "perspective", "everything")
NEEDED = {
    "nothing": "process",
    "letter": "letter",
    "letter_copy": "letter",
    "perspective": "perspective",
    "other": "everything",
}

EMBARGO, OUTSIDE, NO_CONSENT = "embargo", "outside_consent", "no_consent"


@dataclass(frozen=True)
class ConsentFact:
    id: uuid.UUID
    whom: uuid.UUID | None  # None: everyone
    may_know: str
    given_on: datetime.date
    written_at: datetime.datetime
    embargo_until: datetime.date | None = None


@dataclass(frozen=True)
class Need:
    """Why an informing needs approval: ``code`` (embargo, outside_consent,
    no_consent), the embargo's end, and the consent it comes from."""

    code: str
    until: datetime.date | None = None
    consent: uuid.UUID | None = None


def in_force(
    facts: Iterable[ConsentFact], day: datetime.date
) -> dict[uuid.UUID | None, ConsentFact]:
    """For each person (and None: everyone), the consent in force on ``day``."""
    found: dict[uuid.UUID | None, ConsentFact] = {}
    for fact in facts:
        if fact.given_on > day:
            continue
        seen = found.get(fact.whom)
        if seen is None or (fact.given_on, fact.written_at) > (seen.given_on, seen.written_at):
            found[fact.whom] = fact
    return found


def embargo(facts: Iterable[ConsentFact], day: datetime.date) -> ConsentFact | None:
    """The consent whose embargo runs on ``day`` (the one that ends last)."""
    running = [
        fact
        for fact in in_force(facts, day).values()
        if fact.embargo_until is not None and fact.embargo_until > day
    ]
    return max(running, key=lambda fact: (fact.embargo_until, fact.written_at), default=None)


def covers(may_know: str, material: str) -> bool:
    return SCOPES.index(may_know) >= SCOPES.index(NEEDED[material])


def needs(
    facts: Iterable[ConsentFact], whom: uuid.UUID, material: str, day: datetime.date
) -> list[Need]:
    """Why telling ``whom`` with ``material`` on ``day`` needs approval; none
    when the consents in force allow it."""
    facts = list(facts)
    consents = in_force(facts, day)
    own = consents.get(whom)
    running = embargo(facts, day)
    if running is not None:
        if own is not None and covers(own.may_know, material):
            return []
        return [Need(EMBARGO, running.embargo_until, running.id)]
    chosen = own or consents.get(None)
    if chosen is None:
        return [Need(NO_CONSENT)]
    if not covers(chosen.may_know, material):
        return [Need(OUTSIDE, consent=chosen.id)]
    return []
