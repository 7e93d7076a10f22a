"""The access core for the people around him, informings, his duty to inform
and the survivor's side's consent.

Built on :mod:`holdspace.processes.access`: each of these is a record, read
by its audience, edited by its author or the author group's coordinators,
acted on (a stance, an outcome, a confirmation) by members of a group in its
audience. Only the survivor's side writes consents and approves informings
(:func:`holdspace.commitments.access.survivor_side`).

Two functions are the *rule* rather than a view, for other apps too:
:func:`embargo_until` and :func:`informing_needs_approval` read every
consent of a process as plain dates and scopes, whoever may read them. A
page that shows their dates to someone says them only when that person may
read the consent they come from (:func:`readable_ids`).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.circle import rules
from holdspace.circle.models import Approval, Consent, Duty, Informing, Person
from holdspace.commitments import access as commitments
from holdspace.commitments.models import Letter, LetterCopy
from holdspace.processes import access
from holdspace.processes.models import Group, Process, Record, Responsibility

M = TypeVar("M", bound=Record)


def _process_id(process: Process | uuid.UUID | Any) -> Any:
    return getattr(process, "pk", process)


# The rule (plain facts only) -------------------------------------------------------


def consent_facts(process: Process | uuid.UUID) -> list[rules.ConsentFact]:
    """Every consent of the process, as plain facts (one query, no key)."""
    rows = Consent.objects.filter(process_id=_process_id(process)).values_list(
        "pk", "whom_id", "may_know", "occurred_on", "created_at", "embargo_until"
    )
    return [rules.ConsentFact(*row) for row in rows]


def embargo_until(
    process: Process | uuid.UUID, on: datetime.date | None = None
) -> datetime.date | None:
    """The end of the embargo in force on ``on`` (default today) — the first
    day on which others may be told again — or None when none runs. From
    plain dates only; see the module's note before showing it to anyone."""
    running = rules.embargo(consent_facts(process), on or timezone.localdate())
    return running.embargo_until if running is not None else None


@dataclass(frozen=True)
class EmbargoNotice:
    """That an embargo runs, for a page that warns before anyone acts (a
    "whom to inform" decision): its end only for those who may read the
    consent it comes from."""

    until: datetime.date | None


def embargo_notice(user: User, process: Process) -> EmbargoNotice | None:
    """None when no embargo runs today."""
    running = rules.embargo(consent_facts(process), timezone.localdate())
    if running is None:
        return None
    readable = access.records_visible_to(user, process).filter(pk=running.id).exists()
    return EmbargoNotice(running.embargo_until if readable else None)


def informing_needs_approval(
    process: Process | uuid.UUID,
    *,
    whom: Person | uuid.UUID,
    material: str,
    on: datetime.date | None = None,
) -> list[rules.Need]:
    """Why telling ``whom`` with ``material`` on ``on`` (default today) needs
    the survivor's side's approval: during an embargo, outside the consent
    in force, or with no consent at all. Empty: the consent allows it."""
    return rules.needs(
        consent_facts(process),
        _process_id(whom),
        material,
        on or timezone.localdate(),
    )


def is_approved(informing: Informing) -> bool:
    return informing.approvals.filter(status=Approval.Status.APPROVED).exists()


def pending_approval(informing: Informing) -> Approval | None:
    return informing.approvals.filter(status=Approval.Status.PENDING).first()


# Who is who ------------------------------------------------------------------------


def survivor_side(process: Process | uuid.UUID) -> Group | None:
    return commitments.survivor_side(_process_id(process))


def speaks_for_survivor(user: User, process: Process | uuid.UUID) -> bool:
    return commitments.speaks_for_survivor(user, _process_id(process))


def survivor_side_members(process: Process | uuid.UUID) -> QuerySet[User]:
    return commitments.survivor_side_members(_process_id(process))


def default_readers(process: Process) -> list[Group]:
    """Who reads what happens around him unless the author chooses otherwise:
    the survivor's side and the group carrying contact."""
    found = {}
    side = survivor_side(process)
    if side is not None:
        found[side.pk] = side
    for held in access.responsibilities_of(process).filter(kind=Responsibility.Kind.CONTACT):
        found[held.group_id] = held.group
    return list(found.values())


# Reading -----------------------------------------------------------------------------


def _visible(user: User, process: Process) -> QuerySet[Any]:
    return access.records_visible_to(user, process).values("pk")


def people_of(user: User, process: Process) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=_visible(user, process)).order_by(
        "relation", "occurred_on", "created_at"
    )


def informings_of(user: User, process: Process) -> QuerySet[Informing]:
    return (
        Informing.objects.filter(pk__in=_visible(user, process))
        .select_related("letter_copy")
        .order_by("-occurred_on", "-created_at")
    )


def informings_about(user: User, person: Person) -> QuerySet[Informing]:
    return informings_of(user, person.process).filter(whom=person)


def duties_of(user: User, process: Process) -> QuerySet[Duty]:
    return Duty.objects.filter(pk__in=_visible(user, process)).order_by(
        "-occurred_on", "-created_at"
    )


def consents_of(user: User, process: Process) -> QuerySet[Consent]:
    return Consent.objects.filter(pk__in=_visible(user, process)).order_by(
        "-occurred_on", "-created_at"
    )


def readable_ids(user: User, process: Process) -> set[uuid.UUID]:
    return set(access.records_visible_to(user, process).values_list("pk", flat=True))


def decided_about(user: User, record: Record) -> QuerySet[Record]:
    """The decisions about ``record`` the account may read (whichever app
    records decisions links them to what they are about as ``decisions_about``)."""
    linked = getattr(record, "decisions_about", None)
    if linked is None:
        return Record.objects.none()
    visible = access.records_visible_to(user, record.process)
    return visible.filter(pk__in=linked.values("pk")).order_by("-occurred_on")


def readable_person(user: User, person: Person | None) -> Person | None:
    """``person`` if the account may read it (an informing's or a duty's link)."""
    if person is None:
        return None
    visible = access.records_visible_to(user, person.process)
    return person if visible.filter(pk=person.pk).exists() else None


def approvals_of(informing: Informing) -> list[Approval]:
    """Every request for approval of a readable informing, with who decided."""
    return list(informing.approvals.select_related("asked_by", "asked_in", "decided_by"))


def informings_by_copy(user: User, letter: Letter) -> dict[uuid.UUID, list[Informing]]:
    """For the letter's copies register: the informings the account may read
    that handed over each copy."""
    found: dict[uuid.UUID, list[Informing]] = {}
    rows = informings_of(user, letter.process).filter(letter_copy__letter=letter)
    for informing in rows:
        if informing.letter_copy_id is not None:
            found.setdefault(informing.letter_copy_id, []).append(informing)
    return found


def copies_to_choose(user: User, process: Process) -> QuerySet[LetterCopy]:
    """Numbered copies of the letters the account may read."""
    return LetterCopy.objects.filter(letter__in=_visible(user, process)).select_related("letter")


# Getting one, or 404 ----------------------------------------------------------------


# A person, informing, duty or consent, as for the letter and the demands
# (``survivor=True``: only for members of the survivor's side who may act on
# it). Raises Http404.
get_for_user = commitments.get_for_user


def get_survivor_group_for_user(request: HttpRequest, group_id: uuid.UUID) -> Group:
    return commitments.get_survivor_group_for_user(request, group_id)
