"""The access core: the only door to process data (S14–S19).

Every view that touches a process goes through these functions. They answer
404 — exactly as for an id that does not exist — for anything the account
may not see, and log the refusal without content (S20).

The rules:

- A *member* of a process holds an active membership in one of its groups.
  A membership waiting for a coordinator's confirmation (a declared conflict
  of interest in a contact group) grants nothing yet.
- A group's page, members and invitations are for its members; managing the
  group is for its coordinators.
- A record is readable by the active members of the groups in its audience.
  An event about another record (a status change, a proposal, a breach) is
  readable only while that record is too: narrowing a record's audience
  takes its history away from the groups that lost it (S45).
- Accounts linked to a party of a process (the person who caused harm, the
  survivor) are no member of its groups here, whatever the database says,
  and read nothing through these helpers — not even records addressed to
  them, which only the party views show, field by field (S16, S44).
- A record is editable by its author while they are still in the author's
  group, and by that group's coordinators.

Views declare their policy with :func:`per_object_access` (any signed-in
account; the object checks happen in the ``get_…_for_user`` helpers).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from holdspace.accounts.models import User
from holdspace.audit.models import Entry
from holdspace.processes import registry
from holdspace.processes.models import (
    Event,
    Group,
    GroupInvitation,
    Membership,
    Party,
    PartyInvitation,
    Process,
    Record,
    RecordAudience,
    Responsibility,
)
from holdspace.vault.keyring import current as keyring
from holdspace.web.policy import View, declare, log_denied, signed_in

R = TypeVar("R", bound=Record)
C = TypeVar("C", bound=Model)


def per_object_access(view: View) -> View:
    """Policy: a signed-in account, nothing more at the door; what it may see
    is decided per object by the helpers below, which the view must call
    (the matrix proves each does)."""
    return declare("process_member")(signed_in(view))


def request_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def deny(request: HttpRequest, reason: str, object_id: Any) -> Http404:
    """Log a refusal without content (S20); raise what it returns."""
    log_denied(request, reason, object_id)
    return Http404()


# Memberships and processes ------------------------------------------------


def _not_a_party(user: User) -> Q:
    """Memberships in processes where ``user`` is not linked to a party (S44)."""
    return ~Q(group__process__parties__account=user)


def active_memberships(user: User) -> QuerySet[Membership]:
    """The account's active memberships, ignoring any in a process where it
    is linked to a party: parties never act as members (S44)."""
    return Membership.objects.active().filter(user=user).filter(_not_a_party(user))


def active_members(group: Group) -> QuerySet[User]:
    """The accounts of a group's active members, by name (attendees, who
    took part in a decision); the caller has checked the reader's access."""
    members = Membership.objects.active().filter(group=group).values("user_id")
    return User.objects.filter(pk__in=members).order_by("username")


def group_ids_for(user: User, process_id: uuid.UUID | None = None) -> set[uuid.UUID]:
    memberships = active_memberships(user)
    if process_id is not None:
        memberships = memberships.filter(group__process_id=process_id)
    return set(memberships.values_list("group_id", flat=True))


def processes_for(user: User) -> QuerySet[Process]:
    """The processes in which the account is an active member of a group."""
    return Process.objects.filter(
        Exists(active_memberships(user).filter(group__process_id=OuterRef("pk")))
    )


def dashboard_memberships(user: User) -> QuerySet[Membership]:
    """The account's current memberships, with group and process, for its overview."""
    return (
        Membership.objects.current()
        .filter(user=user)
        .filter(_not_a_party(user))
        .select_related("group", "group__process")
        .order_by("group__process__started_on", "group__created_at")
    )


def get_process_for_user(request: HttpRequest, process_id: uuid.UUID) -> Process:
    """The process, if the account is an active member of one of its groups.

    Raises Http404 otherwise (identical to a process that does not exist).
    """
    user = request_user(request)
    process = processes_for(user).filter(pk=process_id).first()
    if process is None:
        raise deny(request, "not_process_member", process_id)
    return process


def coordinated_group_ids(user: User, process: Process) -> set[uuid.UUID]:
    return set(
        active_memberships(user)
        .filter(group__process=process, role=Membership.Role.COORDINATOR)
        .values_list("group_id", flat=True)
    )


def get_coordinated_process_for_user(request: HttpRequest, process_id: uuid.UUID) -> Process:
    """The process, if the account coordinates one of its groups; else 404."""
    process = get_process_for_user(request, process_id)
    if not coordinated_group_ids(request_user(request), process):
        raise deny(request, "not_process_coordinator", process_id)
    return process


# Who steers a process (S51) ------------------------------------------------

# Carrying one of these tasks makes a group steer the process.
STEERING_TASKS = (
    Responsibility.Kind.SURVIVOR_SUPPORT,
    Responsibility.Kind.DEMANDS,
    Responsibility.Kind.CONTACT,
)


def steering_groups(process: Process) -> QuerySet[Group]:
    """The groups whose coordinators steer the process: pause or close it,
    rename it and its parties, change its cadences, move its tasks, and name
    other groups that steer with them (S51).

    By default, the survivor's side (the groups carrying her support and the
    demands) and the group carrying contact with the person who caused harm,
    plus any group the process named. The support team of the person who
    caused harm never steers. While no group qualifies (a process that has
    just begun), the coordinators of any other group steer, so that a
    process can never be left without anyone who may steer it.
    """
    groups = Group.objects.filter(process=process).exclude(kind=Group.Kind.SUPPORT_TEAM)
    carrying = Responsibility.objects.filter(process=process, kind__in=STEERING_TASKS)
    steering = groups.filter(Q(pk__in=carrying.values("group_id")) | Q(steers=True))
    return steering if steering.exists() else groups


def groups_that_may_be_named_to_steer(process: Process) -> QuerySet[Group]:
    """Groups a process can name to steer: not the support team of the person
    who caused harm, nor those whose tasks already make them steer."""
    carrying = Responsibility.objects.filter(process=process, kind__in=STEERING_TASKS)
    return (
        Group.objects.filter(process=process)
        .exclude(kind=Group.Kind.SUPPORT_TEAM)
        .exclude(pk__in=carrying.values("group_id"))
    )


def acting_steering_group(user: User, process: Process) -> Group:
    """The steering group the account acts for (its first); call after
    :func:`get_steered_process_for_user`."""
    coordinated = coordinated_group_ids(user, process)
    return steering_groups(process).filter(pk__in=coordinated).order_by("created_at")[0]


def latest_status_change(process: Process) -> Event | None:
    """Who last paused, closed or resumed the process, and when: shown on
    every group's page (names of groups and members are known process-wide)."""
    return (
        Event.objects.filter(process=process, code=Event.Code.PROCESS_STATUS)
        .select_related("author", "author_group")
        .order_by("-created_at")
        .first()
    )


def steers(user: User, process: Process) -> bool:
    """Whether the account coordinates a group that steers the process."""
    steering = set(steering_groups(process).values_list("pk", flat=True))
    return bool(steering & coordinated_group_ids(user, process))


def get_steered_process_for_user(request: HttpRequest, process_id: uuid.UUID) -> Process:
    """The process, if the account may steer it (:func:`steering_groups`).

    Raises Http404 otherwise, identical to a process that does not exist.
    """
    process = get_process_for_user(request, process_id)
    if not steers(request_user(request), process):
        raise deny(request, "not_process_steerer", process_id)
    return process


# Groups ------------------------------------------------------------------


def groups_of(process: Process) -> QuerySet[Group]:
    """The groups of a process the account already may see (names and kinds
    are known to every member of the process; their contents are not)."""
    return Group.objects.filter(process=process)


def get_group_for_user(
    request: HttpRequest, group_id: uuid.UUID, *, coordinator: bool = False
) -> tuple[Group, Membership]:
    """The group and the account's active membership in it.

    Raises Http404 unless the account is an active member — and, with
    ``coordinator=True``, a coordinator — of that group.
    """
    user = request_user(request)
    membership = (
        active_memberships(user)
        .filter(group_id=group_id)
        .select_related("group", "group__process")
        .first()
    )
    if membership is None:
        raise deny(request, "not_group_member", group_id)
    if coordinator and not membership.is_coordinator:
        raise deny(request, "not_group_coordinator", group_id)
    return membership.group, membership


def members_of(group: Group) -> QuerySet[Membership]:
    """Current memberships of a group the account belongs to."""
    return (
        Membership.objects.current()
        .filter(group=group)
        .select_related("user", "conflict_confirmed_by")
    )


def get_member_of_group(request: HttpRequest, group: Group, membership_id: uuid.UUID) -> Membership:
    """Another current membership in ``group`` (already checked); else 404."""
    membership = members_of(group).filter(pk=membership_id).first()
    if membership is None:
        raise deny(request, "no_such_member", membership_id)
    return membership


def waiting_for_key(group: Group) -> dict[uuid.UUID, str]:
    """Members of ``group`` who should hold its key and do not yet, with why
    ("joined": nobody has handed it over yet; "reset": a new account key)."""
    from holdspace.vault.models import PendingGrant

    rows = PendingGrant.objects.filter(compartment__group=group).values_list("user_id", "reason")
    return dict(rows)


def pending_invitations(group: Group) -> QuerySet[GroupInvitation]:
    from django.utils import timezone

    return GroupInvitation.objects.filter(
        group=group, used_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )


def get_invitation_of_group(
    request: HttpRequest, group: Group, invitation_id: uuid.UUID
) -> GroupInvitation:
    invitation = pending_invitations(group).filter(pk=invitation_id).first()
    if invitation is None:
        raise deny(request, "no_such_invitation", invitation_id)
    return invitation


def usable_invitation(token: str) -> GroupInvitation | None:
    """The invitation this link stands for: the token itself is the credential."""
    found: GroupInvitation | None = GroupInvitation.find_usable(token)
    return found


def responsibilities_of(process: Process) -> QuerySet[Responsibility]:
    return Responsibility.objects.filter(process=process).select_related("group")


def parties_of(process: Process) -> dict[str, Party]:
    return {party.role: party for party in Party.objects.filter(process=process)}


# Records -----------------------------------------------------------------


def _readable_by(groups: set[uuid.UUID]) -> Q:
    """Records with one of ``groups`` in their audience; an event about
    another record only while one of ``groups`` may still read that record (S45)."""
    in_audience = Exists(RecordAudience.objects.filter(record=OuterRef("pk"), group_id__in=groups))
    about_readable = Exists(
        RecordAudience.objects.filter(record=OuterRef("event__about"), group_id__in=groups)
    )
    return Q(in_audience) & (
        ~Q(kind=Record.Kind.EVENT) | Q(event__about__isnull=True) | Q(about_readable)
    )


def records_visible_to(user: User, process: Process) -> QuerySet[Record]:
    """Every record of ``process`` the account may read as a member of its
    groups, and nothing else. Accounts linked to a party get none (S44)."""
    groups = group_ids_for(user, process.pk)
    if not groups:
        return Record.objects.none()
    return Record.objects.filter(process=process).filter(_readable_by(groups))


def records_readable_by_groups(process: Process, groups: set[uuid.UUID]) -> QuerySet[Record]:
    """Every record of ``process`` the active members of ``groups`` may read:
    the rule of :func:`records_visible_to` for an audience rather than an
    account (an edition of a report drawn for that audience). Callers
    intersect it with what the account itself may read; no groups, nothing."""
    if not groups:
        return Record.objects.none()
    return Record.objects.filter(process=process).filter(_readable_by(groups))


def records_visible_everywhere(user: User) -> QuerySet[Record]:
    """Every record the account may read in the processes it is a member of,
    in one query however many processes that is: the rule of
    ``records_visible_to`` for all of them at once."""
    groups = group_ids_for(user)
    if not groups:
        return Record.objects.none()
    return Record.objects.filter(_readable_by(groups))


def timeline_for(
    user: User, process: Process, *, kind: str | None = None, group_id: uuid.UUID | None = None
) -> QuerySet[Record]:
    """The process's chronology as this account may see it, newest first.

    The query count does not depend on the number of records: one query for
    the page, one for its audiences.
    """
    records = records_visible_to(user, process)
    if kind:
        records = records.filter(kind=kind)
    if group_id:
        records = records.filter(author_group_id=group_id)
    return (
        records.select_related(*registry.timeline_related())
        .prefetch_related("audience_groups")
        .order_by("-occurred_on", "-created_at")
    )


def open_keys(records: Iterable[Record], *extra_data_keys: uuid.UUID | None) -> None:
    """Open the keys a page of records needs with a constant number of
    queries, instead of one per record (the vault would otherwise ask)."""
    records = list(records)
    about = [
        record.event.about.data_key_id
        for record in records
        if record.kind == Record.Kind.EVENT and record.event.about is not None
    ]
    keyring().prefetch([*(record.data_key_id for record in records), *about, *extra_data_keys])


def get_record_for_user(
    request: HttpRequest, record_id: uuid.UUID, *, write: bool = False
) -> Record:
    """The record, if the account may read it (and, with ``write=True``, edit it).

    Raises Http404 otherwise, identical to a record that does not exist.
    """
    user = request_user(request)
    # First whether the account may read it, then the record with only what
    # its own kind needs (joining every kind's table costs more than both).
    found = Record.objects.filter(pk=record_id).values_list("kind", "process_id").first()
    groups = group_ids_for(user, found[1]) if found is not None else set()
    visible = Record.objects.filter(pk=record_id).filter(_readable_by(groups))
    if found is None or not groups or not visible.exists():
        raise deny(request, "record_not_visible", record_id)
    record = (
        Record.objects.filter(pk=record_id)
        .select_related("process", *registry.related_of(found[0]))
        .prefetch_related("audience_groups")
        .get()
    )
    if write and not may_edit(user, record):
        raise deny(request, "record_not_editable", record_id)
    return record


def may_edit(user: User, record: Record) -> bool:
    if record.kind == Record.Kind.EVENT:
        return False  # written by Holdspace, never edited
    kind = registry.KINDS.get(record.kind)
    if kind is not None and not kind.editable:
        return False  # a decision as it was taken, for every group that reads it
    if kind is not None and kind.frozen is not None and kind.frozen(record):
        return False  # a sent report: corrected by a new version, never edited
    membership = active_memberships(user).filter(group_id=record.author_group_id).first()
    if membership is None:
        return False
    return record.author_id == user.pk or membership.is_coordinator


def may_change_audience(user: User, record: Record) -> bool:
    return may_edit(user, record)


def may_act(user: User, record: Record) -> bool:
    """Acting on a record (a status, an answer, an outcome …) is for active
    members of a group in its audience; accounts linked to a party read what
    is addressed to them, but act through their own pages."""
    readers = {group.pk for group in record.audience_groups.all()}
    return bool(readers & group_ids_for(user, record.process_id))


def acting_groups(user: User, record: Record) -> QuerySet[Group]:
    """The account's groups that may act on ``record`` (those in its audience)."""
    mine = group_ids_for(user, record.process_id)
    readers = {group.pk for group in record.audience_groups.all()}
    return Group.objects.filter(pk__in=mine & readers).order_by("created_at")


def get_specific_for_user(
    request: HttpRequest,
    record_id: uuid.UUID,
    model: type[R],
    *,
    write: bool = False,
    act: bool = False,
) -> R:
    """The record as ``model`` (a letter, a meeting …), if the account may read
    it and, as asked, edit it (``write``) or act on it (``act``).

    Raises Http404 otherwise, and for a record of another kind.
    """
    record = get_record_for_user(request, record_id, write=write)
    if record.kind != model.__name__.lower():
        raise deny(request, "record_of_other_kind", record_id)
    if act and not may_act(request_user(request), record):
        raise deny(request, "record_not_actionable", record_id)
    specific: R = getattr(record, model.__name__.lower())
    # Loaded with the record: keep what it already knows (process, audience).
    specific.process = record.process
    specific._prefetched_objects_cache = getattr(  # type: ignore[attr-defined]  # Django's own cache
        record, "_prefetched_objects_cache", {}
    )
    return specific


def get_child(request: HttpRequest, rows: QuerySet[C], child_id: uuid.UUID, missing: str) -> C:
    """The row ``child_id`` among ``rows`` (part of a record already checked);
    else 404, as for an id that does not exist."""
    found = rows.filter(pk=child_id).first()
    if found is None:
        raise deny(request, missing, child_id)
    return found


# Parties: their own views, never the internal ones (S16, S44) -------------


def party_view(view: View) -> View:
    """Policy: the account linked to a party, on its own pages; which party
    and what it may read is decided by :func:`get_party_for_user` and
    :func:`records_for_party`, which the view must call (the matrix proves
    each does)."""
    return declare("party")(signed_in(view))


def parties_of_account(user: User, role: str | None = None) -> QuerySet[Party]:
    """The parties the account is linked to, newest process first."""
    parties = Party.objects.filter(account=user).select_related("process")
    if role is not None:
        parties = parties.filter(role=role)
    return parties.order_by("-process__started_on", "-process__created_at")


def get_party_for_user(request: HttpRequest, role: str) -> Party:
    """The party of ``role`` the signed-in account is linked to (its newest
    process's); Http404 for every other account."""
    party = parties_of_account(request_user(request), role).first()
    if party is None:
        raise deny(request, "not_linked_party", role)
    return party


def party_role_of(user: User, process_id: uuid.UUID) -> str | None:
    """The role of the party ``user`` is linked to in that process, if any
    (looked up once per process and request)."""
    memo = keyring().memo
    key = ("party_accounts", process_id)
    if key not in memo:
        memo[key] = dict(
            Party.objects.filter(process_id=process_id, account__isnull=False).values_list(
                "account_id", "role"
            )
        )
    accounts = memo[key]
    assert isinstance(accounts, dict)  # noqa: S101  (set just above)
    return accounts.get(user.pk)


def harmed_party_of(process: Process | uuid.UUID, *, lock: bool = False) -> Party | None:
    """The survivor's party (with ``lock``, its row locked until the
    transaction ends: her choices are read where they decide)."""
    parties = Party.objects.filter(process=process, role=Party.Role.HARMED)
    return (parties.select_for_update() if lock else parties).first()


def where_she_answers(process_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The processes whose survivor gives the approvals of what is addressed
    to her herself (her choice, with no pause running): those wait for her,
    not for her support group. One query for all of them."""
    from django.utils import timezone

    today = timezone.localdate()
    return set(
        Party.objects.filter(
            process_id__in=list(process_ids),
            role=Party.Role.HARMED,
            account__isnull=False,
            decides_herself=True,
        )
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lt=today))
        .values_list("process_id", flat=True)
    )


def _addressed_to(party: Party) -> Q:
    field = "to_harming_party" if party.role == Party.Role.HARMING else "to_harmed_party"
    return Q(**{field: True})


def records_for_party(party: Party) -> QuerySet[Record]:
    """The records of the party's process addressed to the party, and nothing
    else: never an event (what happened *to* a record is internal history).
    Views show them field by field, through their own allow-lists."""
    return (
        Record.objects.filter(process_id=party.process_id)
        .filter(_addressed_to(party))
        .exclude(kind=Record.Kind.EVENT)
    )


def get_record_for_party(
    request: HttpRequest, party: Party, record_id: uuid.UUID, model: type[R]
) -> R:
    """The record as ``model`` if it is addressed to ``party`` and of that
    kind; else Http404, identical to a record that does not exist."""
    rows = model._default_manager.filter(pk=record_id, process_id=party.process_id)
    found = cast("R | None", rows.filter(_addressed_to(party)).first())
    if found is None:
        raise deny(request, "record_not_for_party", record_id)
    found.process = party.process
    return found


def keeping_group(process: Process | uuid.UUID, role: str) -> Group | None:
    """The group that links an account to a party and keeps the party's key:
    the group carrying contact for the person who caused harm, the survivor's
    side (the group carrying the demands, else her support) for the survivor."""
    tasks = (
        [Responsibility.Kind.CONTACT]
        if role == Party.Role.HARMING
        else [Responsibility.Kind.DEMANDS, Responsibility.Kind.SURVIVOR_SUPPORT]
    )
    for task in tasks:
        held = Responsibility.objects.filter(process=process, kind=task).select_related("group")
        found = held.first()
        if found is not None:
            return found.group
    return None


def kept_parties(user: User, process: Process) -> set[str]:
    """The roles of the parties whose keeping group the account coordinates."""
    coordinated = coordinated_group_ids(user, process)
    return {
        role
        for role in Party.Role.values
        if (group := keeping_group(process, role)) is not None and group.pk in coordinated
    }


def get_keeping_group_for_user(
    request: HttpRequest, process_id: uuid.UUID, role: str
) -> tuple[Group, Party]:
    """The group the account coordinates that may link an account to the
    party of ``role``, and that party; else 404."""
    process = get_process_for_user(request, process_id)
    group = keeping_group(process, role)
    party = Party.objects.filter(process=process, role=role).first()
    if (
        group is None
        or party is None
        or group.pk not in coordinated_group_ids(request_user(request), process)
    ):
        raise deny(request, "not_party_keeper", process_id)
    return group, party


def party_invitations(party: Party) -> QuerySet[PartyInvitation]:
    from django.utils import timezone

    return PartyInvitation.objects.filter(
        party=party, used_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )


def usable_party_invitation(token: str) -> PartyInvitation | None:
    """The party invitation this link stands for: the token is the credential."""
    found: PartyInvitation | None = PartyInvitation.find_usable(token)
    return found


# The audit log ------------------------------------------------------------


def audit_entries_for(process: Process, group_ids: set[uuid.UUID]) -> QuerySet[Entry]:
    """Audit entries of the process about these groups, or about the process
    as a whole; newest first."""
    return (
        Entry.objects.filter(process_id=process.pk)
        .filter(Q(group_id__in=group_ids) | Q(group_id=None))
        .order_by("-seq")
    )


def usernames_in(process: Process, group_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Usernames of everyone who is or was in these groups; others stay unnamed."""
    rows = Membership.objects.filter(group_id__in=group_ids, group__process=process).values_list(
        "user_id", "user__username"
    )
    return dict(rows)
