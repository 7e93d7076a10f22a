"""The closure app's doors into the access core: every read of a closure,
a reopening or the criteria goes through here (S18)."""

from __future__ import annotations

import importlib
from typing import Any

from django.http import HttpRequest

from holdspace.accounts.models import User
from holdspace.closure.models import Closure, Reopening
from holdspace.processes import access
from holdspace.processes.models import Group, Party, Process, Record


def closure_of(user: User, process: Process) -> Closure | None:
    """The closure of a closed process, if the account may read it."""
    if process.status != Process.Status.CLOSED:
        return None
    ids = access.records_visible_to(user, process).filter(kind="closure").values("pk")
    found: Closure | None = (
        Closure.objects.filter(pk__in=ids)
        .select_related("process", "author", "author_group", "statement_answered_by")
        .order_by("-created_at")
        .first()
    )
    if found is not None:
        access.open_keys([found])
    return found


def closure_for_party(party: Party) -> Closure | None:
    """The closure of her process, when it is closed and addressed to her."""
    if party.process.status != Process.Status.CLOSED:
        return None
    ids = access.records_for_party(party).filter(kind="closure").values("pk")
    found: Closure | None = Closure.objects.filter(pk__in=ids).order_by("-created_at").first()
    if found is not None:
        found.process = party.process
        access.open_keys([found])
    return found


def her_side(request: HttpRequest, process_id: Any) -> tuple[Process, Group]:
    """The process and the group that keeps the survivor's party (her side),
    if the account coordinates it; else 404."""
    group, party = access.get_keeping_group_for_user(request, process_id, Party.Role.HARMED)
    return party.process, group


def conclusion_of(user: User, process: Process) -> Record | None:
    """The conclusion report, if the conclusion app has one the account may
    read (linked from the closure page; closing never waits for it)."""
    try:
        conclusion: Any = importlib.import_module("holdspace.conclusion.access")
        finder = conclusion.conclusion_of
    except (ImportError, AttributeError):
        finder = None
    visible = access.records_visible_to(user, process)
    if finder is not None:
        found = finder(process)
        if found is not None and visible.filter(pk=found.pk).exists():
            return found if isinstance(found, Record) else None
        return None
    record: Record | None = visible.filter(kind="conclusion").order_by("-created_at").first()
    return record


def get_closure_for_user(request: HttpRequest, record_id: Any) -> Closure:
    return access.get_specific_for_user(request, record_id, Closure)


def get_reopening_for_user(request: HttpRequest, record_id: Any) -> Reopening:
    return access.get_specific_for_user(request, record_id, Reopening)


def export_records(user: User, process: Process, group: Group) -> list[Record]:
    """What ``group`` (the survivor's side) may read of the process, oldest
    first, as the account reads it (a member of that group)."""
    records = list(
        access.timeline_for(user, process)
        .filter(audience__group=group)
        .exclude(kind=Record.Kind.EVENT)
        .order_by("occurred_on", "created_at")
    )
    access.open_keys(records, process.data_key_id)
    return records
