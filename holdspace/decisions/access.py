"""The access core for decisions and ladders.

Built on :mod:`holdspace.processes.access`: a decision or a ladder is a
record, read by the groups of its audience. The groups a decision asks are
its audience: only their active members read it and answer it (S45); an
account linked to a party of the process is never asked (S44). A ladder is
kept by one group and read by the groups it is shared with.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from holdspace.accounts.models import User
from holdspace.decisions.models import Decision, Ladder
from holdspace.processes import access, registry
from holdspace.processes.models import Group, Membership, Process, Record, Responsibility


def _visible(user: User, process: Process) -> QuerySet[Any]:
    return access.records_visible_to(user, process).values("pk")


def decisions_of(user: User, process: Process) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(pk__in=_visible(user, process))
        .select_related("author", "author_group")
        .prefetch_related("audience_groups")
        .order_by("-occurred_on", "-created_at")
    )


def ladders_of(user: User, process: Process) -> QuerySet[Ladder]:
    return (
        Ladder.objects.filter(pk__in=_visible(user, process))
        .select_related("keeper", "agreed_by")
        .prefetch_related("steps", "audience_groups")
        .order_by("created_at")
    )


def ladder_kept_by(group: Group) -> Ladder | None:
    """The ladder ``group`` keeps (the caller checked the account is in it)."""
    return Ladder.objects.filter(keeper=group).first()


def asked_groups(decision: Decision) -> list[Group]:
    return list(decision.audience_groups.all().order_by("created_at"))


def asked_memberships(decision: Decision) -> QuerySet[Membership]:
    """The active memberships in the groups a decision asks, without any
    account linked to a party of the process (S44)."""
    return (
        Membership.objects.active()
        .filter(group__in=decision.audience_groups.all())
        .exclude(user__parties__process_id=decision.process_id)
        .select_related("user", "group")
        .order_by("user__username")
    )


def asked_people(decision: Decision) -> list[tuple[User, Group]]:
    """Each asked member once, with the first asked group they are in."""
    found: dict[uuid.UUID, tuple[User, Group]] = {}
    for membership in asked_memberships(decision).order_by("group__created_at"):
        found.setdefault(membership.user_id, (membership.user, membership.group))
    return sorted(found.values(), key=lambda pair: pair[0].username)


def who_may_have_taken_part(decision: Decision) -> QuerySet[User]:
    """The members the decision asks, and whoever answered it (someone may
    have left a group since), by name: the choice of who took part."""
    answered = decision.answers.values("member_id")
    asked = asked_memberships(decision).values("user_id")
    return User.objects.filter(Q(pk__in=asked) | Q(pk__in=answered)).order_by("username")


def asked_group_of(user: User, decision: Decision) -> Group | None:
    """The asked group ``user`` answers in (None: the account is not asked)."""
    for person, group in asked_people(decision):
        if person.pk == user.pk:
            return group
    return None


def get_decision(
    request: HttpRequest, record_id: uuid.UUID, *, act: bool = False, write: bool = False
) -> Decision:
    """The decision, if the account may read it (and, with ``act``, is in a
    group it asks). Raises Http404 otherwise, as for a missing id."""
    return access.get_specific_for_user(request, record_id, Decision, act=act, write=write)


def get_ladder(
    request: HttpRequest, record_id: uuid.UUID, *, act: bool = False, write: bool = False
) -> Ladder:
    return access.get_specific_for_user(request, record_id, Ladder, act=act, write=write)


def readable_records(user: User, process: Process, ids: Iterable[str]) -> QuerySet[Record]:
    """Those of ``ids`` that are records of ``process`` the account may read
    (anything else is left out silently, like a missing id)."""
    wanted = []
    for value in ids:
        try:
            wanted.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return access.records_visible_to(user, process).filter(pk__in=wanted)


# What a decision cannot be about: what Holdspace writes itself, and the
# decisions and ladders (a later decision replaces an earlier one instead).
NOT_ABOUT = {"event", "decision", "ladder"}
RECENT = 25


def about_kinds() -> list[str]:
    """Every registered kind of record a decision may be about — a meeting, a
    breach of an agreement, a demand, a person around him, an informing —
    including those of apps added later (the registry)."""
    return [name for name in registry.KINDS if name not in NOT_ABOUT]


def about_choices(
    user: User, process: Process, chosen: Iterable[uuid.UUID] = ()
) -> QuerySet[Record]:
    """What a decision may be about: the records the account may read in the
    process — the recent ones of the usual kinds, and those already chosen."""
    visible = access.records_visible_to(user, process)
    recent = visible.filter(kind__in=about_kinds()).order_by("-occurred_on", "-created_at")
    ids = [*recent.values_list("pk", flat=True)[:RECENT], *chosen]
    return visible.filter(pk__in=ids).order_by("-occurred_on", "-created_at")


def carries_contact(user: User, process: Process) -> Group | None:
    """The account's group that carries contact in ``process``, if any."""
    mine = access.group_ids_for(user, process.pk)
    for responsibility in access.responsibilities_of(process):
        if responsibility.kind == Responsibility.Kind.CONTACT and responsibility.group_id in mine:
            return responsibility.group
    return None


def my_groups(user: User, process: Process) -> QuerySet[Group]:
    return access.groups_of(process).filter(pk__in=access.group_ids_for(user, process.pk))
