"""The access core for the letter, demands, steps, agreements and the rota.

Every view here goes through these helpers, which build on
:mod:`holdspace.processes.access` and answer 404 — exactly as for an id that
does not exist — for anything the account may not see:

- A letter, demand, step or agreement is a record: it is read by its
  audience and edited (its text) by its author or the author group's
  coordinators.
- *Acting* on one — registering a copy, reporting progress, changing a
  status, recording a breach, changing the rota — is for active members of a
  group in its audience. An account linked to a party may read what is
  addressed to it, but acts through its own portal (later), not here.
- The *survivor's side* is the group that carries the letter and the
  demands (see :func:`survivor_side`). Only its members write the letter and
  demands, change a demand's wording and decide on proposed changes.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

from holdspace.accounts.models import User
from holdspace.commitments import deadlines
from holdspace.commitments.models import (
    Agreement,
    Demand,
    Evidence,
    Letter,
    RotaException,
    RotaPerson,
    RotaVenue,
    Step,
    WordingProposal,
)
from holdspace.processes import access
from holdspace.processes.models import Group, Process, Record, Responsibility

M = TypeVar("M", bound=Record)


def survivor_side(process_id: Any) -> Group | None:
    """The group that speaks for the person harmed: the one carrying the
    letter and the demands (a hand-over moves it), else the first support group."""
    held = (
        Responsibility.objects.filter(process_id=process_id, kind=Responsibility.Kind.DEMANDS)
        .select_related("group")
        .first()
    )
    if held is not None:
        return held.group
    return (
        Group.objects.filter(process_id=process_id, kind=Group.Kind.SUPPORT)
        .order_by("created_at")
        .first()
    )


def survivor_side_members(process_id: Any) -> QuerySet[User]:
    """The active members of the survivor's side, who may take part in its
    decisions (none when the process has no such group)."""
    group = survivor_side(process_id)
    if group is None:
        return User.objects.none()
    return access.active_members(group)


def decisions_waiting_for(
    user: User, processes: QuerySet[Process]
) -> list[tuple[Process, WordingProposal]]:
    """The proposals waiting for a decision of the account's own group, with
    their process: those on demands it may read, in ``processes``, where it
    speaks for the survivor's side — not those that wait for the survivor's
    own answer. Ids and dates only: nothing is opened."""
    found: list[tuple[Process, WordingProposal]] = []
    hers = access.where_she_answers(process.pk for process in processes)
    for process in processes:
        if not speaks_for_survivor(user, process.pk):
            continue
        readable = access.records_visible_to(user, process).values("pk")
        waiting = (
            WordingProposal.objects.filter(
                demand__in=readable, status=WordingProposal.Status.PENDING
            )
            .only("pk", "demand", "proposed_on", "kind")
            .order_by("proposed_on", "proposed_at")
        )
        if process.pk in hers:  # those addressed to her wait for her own answer
            waiting = waiting.exclude(demand__to_harmed_party=True)
        found += [(process, proposal) for proposal in waiting]
    return found


def speaks_for_survivor(user: User, process_id: Any) -> bool:
    group = survivor_side(process_id)
    return group is not None and access.active_memberships(user).filter(group=group).exists()


def get_for_user(
    request: HttpRequest,
    record_id: uuid.UUID,
    model: type[M],
    *,
    write: bool = False,
    act: bool = False,
    survivor: bool = False,
) -> M:
    """The record as ``model`` (a letter, demand …), as
    :func:`processes.access.get_specific_for_user`; with ``survivor=True``
    only for members of the survivor's side who may act on it.

    Raises Http404 otherwise.
    """
    specific = access.get_specific_for_user(
        request, record_id, model, write=write, act=act or survivor
    )
    if survivor and not speaks_for_survivor(access.request_user(request), specific.process_id):
        raise access.deny(request, "not_survivor_side", record_id)
    return specific


def get_survivor_group_for_user(request: HttpRequest, group_id: uuid.UUID) -> Group:
    """One of the account's groups, if it is the survivor's side; else 404."""
    group, _membership = access.get_group_for_user(request, group_id)
    side = survivor_side(group.process_id)
    if side is None or side.pk != group.pk:
        raise access.deny(request, "not_survivor_side", group_id)
    return group


def get_proposal(request: HttpRequest, demand: Demand, proposal_id: uuid.UUID) -> WordingProposal:
    proposal = access.get_child(request, demand.proposals.all(), proposal_id, "no_such_proposal")
    proposal.demand = demand
    return proposal


def get_evidence(request: HttpRequest, record: Record, evidence_id: uuid.UUID) -> Evidence:
    rows = Evidence.objects.filter(record_id=record.pk)
    evidence = access.get_child(request, rows, evidence_id, "no_such_evidence")
    evidence.record = record
    return evidence


def get_venue(request: HttpRequest, agreement: Agreement, venue_id: uuid.UUID) -> RotaVenue:
    venue = access.get_child(request, agreement.venues.all(), venue_id, "no_such_venue")
    venue.agreement = agreement
    return venue


def get_exception(
    request: HttpRequest, agreement: Agreement, exception_id: uuid.UUID
) -> RotaException:
    rows = RotaException.objects.filter(venue__agreement=agreement).select_related("venue")
    exception = access.get_child(request, rows, exception_id, "no_such_rota_change")
    exception.venue.agreement = agreement
    return exception


def commitments_of(user: User, process: Process) -> dict[str, list[Any]]:
    """The letters, demands, steps and agreements of ``process`` the account
    may read, by kind, for the overview page."""
    visible = access.records_visible_to(user, process)
    ids = visible.values("pk")
    return {
        "letters": list(Letter.objects.filter(pk__in=ids).order_by("-occurred_on", "-created_at")),
        "demands": list(
            Demand.objects.filter(pk__in=ids)
            .select_related("author_group")
            .order_by("occurred_on", "created_at")
        ),
        "steps": list(
            Step.objects.filter(pk__in=ids)
            .select_related("towards")
            .order_by("due_on", "occurred_on", "created_at")
        ),
        "agreements": list(
            Agreement.objects.filter(pk__in=ids).order_by(
                "-starts_on", "-occurred_on", "-created_at"
            )
        ),
    }


def steps_of(user: User, demand: Demand) -> QuerySet[Step]:
    visible = access.records_visible_to(user, demand.process).values("pk")
    return Step.objects.filter(towards=demand, pk__in=visible).order_by(
        "due_on", "occurred_on", "created_at"
    )


def agreement_renewal(user: User, agreement: Agreement) -> Agreement | None:
    """The agreement that renewed this one, if the account may read it."""
    visible = access.records_visible_to(user, agreement.process).values("pk")
    return Agreement.objects.filter(renews=agreement, pk__in=visible).first()


def readable_or_none(user: User, record: Record | None) -> Record | None:
    if record is None:
        return None
    visible = access.records_visible_to(user, record.process)
    return record if visible.filter(pk=record.pk).exists() else None


def history_of(user: User, record: Record) -> list[Record]:
    """What happened to ``record`` — its status changes, renewal, breaches,
    as events — that the account may read, in the order it happened, then
    in the order it was written down (DESIGN §6)."""
    visible = access.records_visible_to(user, record.process).values("pk")
    return list(
        Record.objects.filter(kind=Record.Kind.EVENT, event__about=record, pk__in=visible)
        .select_related("author", "author_group", "event")
        .order_by("occurred_on", "created_at")
    )


def rota_of(agreement: Agreement) -> tuple[list[RotaPerson], list[RotaVenue]]:
    """The people (by pseudonym) and venues of an agreement's rota, with the
    weekly pattern and changes loaded."""
    people = list(agreement.rota_people.all())
    venues = list(agreement.venues.prefetch_related("slots", "exceptions"))
    return people, venues


def summary(user: User, process: Process) -> dict[str, int]:
    """Counts for the process page (no text is opened)."""
    from django.utils import timezone

    today = timezone.localdate()
    visible = access.records_visible_to(user, process).values("pk")
    demands = Demand.objects.filter(pk__in=visible)
    return {
        "demands": demands.count(),
        "demands_met": demands.filter(status=Demand.Status.MET).count(),
        "steps_overdue": Step.objects.filter(
            deadlines.overdue("due_on", today), pk__in=visible, status=Step.Status.OPEN
        ).count(),
        "agreements_in_force": Agreement.objects.filter(
            pk__in=visible, status=Agreement.Status.AGREED
        )
        .exclude(deadlines.overdue("ends_on", today))
        .count(),
    }


def letter_written(user: User, process: Process) -> bool:
    """Whether the account can read a letter of ``process`` (the survivor's
    side, which writes it, is then not offered to write another)."""
    visible = access.records_visible_to(user, process).values("pk")
    return Letter.objects.filter(pk__in=visible).exists()
