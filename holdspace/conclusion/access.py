"""The access core for the conclusion report and its editions.

Built on :mod:`holdspace.processes.access`:

- The report is a record of kind ``conclusion``, one per process, written by
  a group that steers the process (``access.steering_groups``); it is read
  by its audience (the writing group) and edited by its author or that
  group's coordinators.
- An *edition* draws, for one audience, the records that audience may read
  **and** the account drawing it may read: nobody previews or releases what
  they could not read themselves.
- A released edition is a record whose audience is the writing group and the
  groups of the edition's audience; they read it through the access core.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from holdspace.accounts.models import User
from holdspace.conclusion.models import Audience, Conclusion, Edition
from holdspace.processes import access
from holdspace.processes.models import Group, Process, Record, Responsibility


def conclusion_of(process: Process) -> Conclusion | None:
    """The conclusion report of ``process``, if one was begun (for the
    closure app, which links to it). Whoever follows the link meets the
    access core on its page; nothing is opened here."""
    return Conclusion.objects.filter(process=process).order_by("created_at").first()


def readable_conclusion(user: User, process: Process) -> Conclusion | None:
    """The conclusion report if the account may read it."""
    visible = access.records_visible_to(user, process).filter(kind="conclusion")
    return Conclusion.objects.filter(pk__in=visible.values("pk")).first()


def editions_for(user: User, process: Process) -> QuerySet[Edition]:
    """The released editions of the process the account may read."""
    visible = access.records_visible_to(user, process).filter(kind="edition")
    return Edition.objects.filter(pk__in=visible.values("pk")).order_by("released_at")


def released(conclusion: Conclusion) -> dict[str, Edition]:
    """The editions of a report already released, by audience (ids and dates
    only: the caller has checked the report may be read)."""
    return {edition.made_for: edition for edition in Edition.objects.filter(made_from=conclusion)}


def audience_groups(process: Process | uuid.UUID, edition: str) -> QuerySet[Group]:
    """The groups an edition is for: the supervision group(s); the survivor's
    side (the groups carrying her support and the demands, else her support
    group); the community group(s)."""
    groups = Group.objects.filter(process=process)
    if edition == Audience.SUPERVISION:
        tasks = Responsibility.objects.filter(
            process=process, kind=Responsibility.Kind.SUPERVISION
        ).values("group_id")
        return groups.filter(Q(kind=Group.Kind.SUPERVISION) | Q(pk__in=tasks))
    if edition == Audience.SURVIVOR:
        tasks = Responsibility.objects.filter(
            process=process,
            kind__in=[Responsibility.Kind.SURVIVOR_SUPPORT, Responsibility.Kind.DEMANDS],
        ).values("group_id")
        carrying = groups.filter(pk__in=tasks)
        return carrying if carrying.exists() else groups.filter(kind=Group.Kind.SUPPORT)
    if edition == Audience.COMMUNITY:
        return groups.filter(kind=Group.Kind.COMMUNITY)
    raise ValueError(f"no such edition: {edition}")


def records_for_edition(user: User, process: Process, edition: str) -> QuerySet[Record]:
    """The records an edition may hold: readable by its audience (for the
    survivor's side also what is addressed to her, never an event) and by
    ``user``, who draws it. Never the report or its editions themselves."""
    groups = set(audience_groups(process, edition).values_list("pk", flat=True))
    theirs = access.records_readable_by_groups(process, groups).values("pk")
    wanted = Q(pk__in=theirs)
    if edition == Audience.SURVIVOR:
        wanted |= Q(to_harmed_party=True) & ~Q(kind=Record.Kind.EVENT)
    return (
        access.records_visible_to(user, process)
        .filter(wanted)
        .exclude(kind__in=["conclusion", "edition"])
    )


def may_write(user: User, process: Process) -> bool:
    """Whether the account may begin the report: it coordinates a group that
    steers the process."""
    return access.steers(user, process)
