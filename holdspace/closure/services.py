"""Closing a process, its statement, reopening it, and deleting it on the
agreed date (DESIGN C19).

Each function is one atomic change with its audit entry; the steering rule
(S51) and the survivor's side (her own answer, or her support group's) are
checked by the callers through the access core, and again here where the
state decides (inside the lock).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.audit import services as audit
from holdspace.closure.guard import ProcessClosed, closure_writes
from holdspace.closure.models import Closure, Criterion, CriterionResult, Reopening
from holdspace.processes import access, writes
from holdspace.processes.models import Event, Group, Party, Process, Record
from holdspace.processes.services import Refused, day_it_happened, record_event, since_the_start
from holdspace.processes.services.common import _event
from holdspace.processes.services.records import create_record, party_space_of
from holdspace.vault.keyring import current as keyring
from holdspace.vault.models import Compartment, DataKey

STATEMENT = "closure.statement"

# A process can be closed from any status but closed.
MAY_CLOSE: writes.Transitions = {
    status: {Process.Status.CLOSED}
    for status in (Process.Status.INTAKE, Process.Status.ACTIVE, Process.Status.PAUSED)
}
MAY_REOPEN: writes.Transitions = {Process.Status.CLOSED: {Process.Status.ACTIVE}}
MAY_ANSWER: writes.Transitions = {
    Closure.Statement.WAITING: {Closure.Statement.APPROVED, Closure.Statement.DECLINED}
}
MAY_RELEASE: writes.Transitions = {Closure.Statement.APPROVED: {Closure.Statement.RELEASED}}

HERS = _("She gives this approval herself, on her own page.")
SUPPORT_GROUPS = _("Her support group gives this approval.")
BEFORE_CLOSING = _("The process was closed on %(date)s. Choose that day or a later one.")
DELETE_ON_FUTURE = _("Choose a day after today for the deletion.")


# Criteria ------------------------------------------------------------------------


def criteria_of(process: Process) -> list[Criterion]:
    """The process's closure criteria, in order (the caller checked access)."""
    found = list(Criterion.objects.filter(process=process).select_related("process"))
    access.open_keys([], process.data_key_id)
    return found


def criteria_count(process: Process) -> int:
    return Criterion.objects.filter(process=process).count()


def set_criteria(process: Process, *, by: User, group: Group, texts: Sequence[str]) -> None:
    """Replace the closure criteria with ``texts`` (a steering group's
    coordinator; the caller checked). Refused once the process is closed."""
    with transaction.atomic():
        writes.lock(process)
        if process.status == Process.Status.CLOSED:
            raise ProcessClosed
        Criterion.objects.filter(process=process).delete()
        for position, text in enumerate(texts):
            criterion = Criterion(process=process, position=position)
            criterion.text = text
            criterion.save()
        audit.log(
            "closure.criteria_changed",
            user=by,
            target=process,
            process_id=process.pk,
            group_id=group.pk,
        )


# Closing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    criterion: str
    reached: str
    note: str


@dataclass(frozen=True)
class Closing:
    reached: str
    not_reached: str
    results: Sequence[Result]
    statement: str
    kept: str
    delete_on: datetime.date
    closed_on: datetime.date | None = None


def current_closure(process: Process) -> Closure | None:
    """The closure of a closed process (its latest); None while it runs."""
    if process.status != Process.Status.CLOSED:
        return None
    found: Closure | None = Closure.objects.filter(process=process).order_by("-created_at").first()
    return found


def _status_changed(
    process: Process, status: str, *, by: User, group: Group, day: datetime.date
) -> None:
    """Audit a new status and show it on every group's chronology, dated on
    the day it happened."""
    action = "process.closed" if status == Process.Status.CLOSED else "process.reopened"
    audit.log(action, user=by, target=process, process_id=process.pk)
    _event(
        Event.Code.PROCESS_STATUS,
        process=process,
        by=by,
        group=group,
        audience=Group.objects.filter(process=process),
        value=status,
        occurred_on=day,
    )


def close(
    process: Process, *, by: User, group: Group, closing: Closing, seen: str | None = None
) -> Closure:
    """Close the process as a coordinator of ``group``, a steering group:
    from now on nothing new can be written in it (closure.guard). Every group
    reads the closure on its chronology; a statement waits for the survivor's
    side. Raises Refused when it is closed already (someone was first)."""
    if closing.delete_on <= timezone.localdate():
        raise Refused(DELETE_ON_FUTURE)
    with transaction.atomic(), closure_writes(process.pk):
        day = day_it_happened(closing.closed_on, since_the_start(process))
        writes.transition(process, Process.Status.CLOSED, allowed=MAY_CLOSE, seen=seen)
        process.version += 1
        process.save(update_fields=["status", "version"])
        everyone = list(Group.objects.filter(process=process))
        closure = create_record(
            Closure,
            author=by,
            group=group,
            audience=everyone,
            texts={
                "reached": closing.reached,
                "not_reached": closing.not_reached,
                "statement": closing.statement,
                "kept": closing.kept,
            },
            occurred_on=day,
            delete_on=closing.delete_on,
            statement_status=(
                Closure.Statement.WAITING if closing.statement.strip() else Closure.Statement.NONE
            ),
        )
        for position, result in enumerate(closing.results):
            row = CriterionResult(closure=closure, position=position, reached=result.reached)
            row.criterion, row.note = result.criterion, result.note
            row.save()
        _to_her(closure)
        _status_changed(process, Process.Status.CLOSED, by=by, group=group, day=day)
    return closure


def _to_her(closure: Closure) -> None:
    """Address the closure to the survivor when she has an account: she reads
    the outcome and the statement on her own page, and answers it if she
    gives the approvals herself."""
    party = access.harmed_party_of(closure.process_id)
    if party is None or party.account_id is None or closure.data_key_id is None:
        return
    closure.to_harmed_party = True
    closure.save(update_fields=["to_harmed_party"])
    keyring().share(closure.data_key_id, party_space_of(closure, Compartment.Kind.SURVIVOR))


# The public statement (a veto of the survivor's side, S51) ---------------------------


def she_answers(process: Process | Closure) -> bool:
    """Whether the survivor answers the statement herself (her choice, no pause)."""
    process_id = process.process_id if isinstance(process, Closure) else process.pk
    party = access.harmed_party_of(process_id)
    return party is not None and party.answers_herself()


def answer_statement(
    closure: Closure,
    *,
    by: User,
    approve: bool,
    reason: str = "",
    herself: bool,
    answered_on: datetime.date | None = None,
) -> None:
    """The survivor's side approves or declines the public statement: she
    herself when she gives the approvals herself (``herself``), else her
    support group. A declined statement is never released."""
    with transaction.atomic(), closure_writes(closure.process_id):
        party = access.harmed_party_of(closure.process_id, lock=True)
        hers = party is not None and party.answers_herself()
        if hers and not herself:
            raise Refused(HERS)
        if herself and not hers:
            raise Refused(SUPPORT_GROUPS)
        day = day_it_happened(answered_on, (closure.occurred_on, BEFORE_CLOSING))
        to = Closure.Statement.APPROVED if approve else Closure.Statement.DECLINED
        writes.transition(closure, to, allowed=MAY_ANSWER, field="statement_status")
        closure.statement_answered_by, closure.statement_answered_on = by, day
        closure.statement_reason = "" if approve else reason
        closure.save(
            update_fields=[
                "statement_status",
                "statement_answered_by",
                "statement_answered_on",
                "statement_reason",
            ]
        )
        action = "closure.statement_approved" if approve else "closure.statement_declined"
        audit.log(action, user=by, target=closure, process_id=closure.process_id)
        record_event(closure, STATEMENT, by=None if herself else by, value=to, occurred_on=day)


def release_statement(closure: Closure, *, by: User) -> None:
    """Mark an approved statement released; refused before the approval."""
    with transaction.atomic(), closure_writes(closure.process_id):
        writes.transition(
            closure, Closure.Statement.RELEASED, allowed=MAY_RELEASE, field="statement_status"
        )
        closure.save(update_fields=["statement_status"])
        audit.log(
            "closure.statement_released", user=by, target=closure, process_id=closure.process_id
        )
        record_event(closure, STATEMENT, by=by, value=Closure.Statement.RELEASED)


# Reopening ------------------------------------------------------------------------


def reopen(
    process: Process,
    *,
    by: User,
    group: Group,
    reasons: str,
    reopened_on: datetime.date | None = None,
    seen: str | None = None,
) -> Reopening:
    """Open a closed process again, a steering decision with its reasons on
    every group's chronology. The retention date of the closure no longer
    applies (only a closed process is deleted)."""
    with transaction.atomic(), closure_writes(process.pk):
        day = day_it_happened(reopened_on, since_the_start(process))
        writes.transition(process, Process.Status.ACTIVE, allowed=MAY_REOPEN, seen=seen)
        process.version += 1
        process.save(update_fields=["status", "version"])
        everyone = list(Group.objects.filter(process=process))
        reopening = create_record(
            Reopening,
            author=by,
            group=group,
            audience=everyone,
            texts={"reasons": reasons},
            occurred_on=day,
        )
        _status_changed(process, Process.Status.ACTIVE, by=by, group=group, day=day)
    return reopening


# Retention (S40) -------------------------------------------------------------------


def due_for_deletion(today: datetime.date | None = None) -> list[Process]:
    """Closed processes whose agreed deletion day has come."""
    day = today or timezone.localdate()
    latest = Closure.objects.filter(process=OuterRef("pk")).order_by("-created_at")
    return list(
        Process.objects.filter(status=Process.Status.CLOSED)
        .annotate(delete_on=Subquery(latest.values("delete_on")[:1]))
        .filter(delete_on__lte=day)
    )


def purge(process: Process) -> None:
    """Delete a closed process: its records, groups, memberships, parties,
    grants and every key (crypto-shredding: a backup of its ciphertext can
    no longer be opened). The audit log keeps what happened and when, without
    who or what (audit.purge_process, S40, S47). Refused for a process that
    is not closed."""
    process_id = process.pk  # delete() forgets it
    with transaction.atomic(), closure_writes(process_id):
        writes.lock(process)
        if process.status != Process.Status.CLOSED:
            raise Refused(_("Only a closed process is deleted."))
        Record.objects.filter(process_id=process_id).delete()
        Criterion.objects.filter(process_id=process_id).delete()
        Party.objects.filter(process_id=process_id).delete()
        process.delete()
        DataKey.objects.filter(process_id=process_id).delete()
        audit.purge_process(process_id)


def compact_database() -> None:
    """Rewrite the SQLite file without the deleted pages, so that nothing of
    a purged process is left in it or in its write-ahead log (S40). Does
    nothing inside a transaction or on other databases."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_due(today: datetime.date | None = None) -> int:
    """Delete every closed process whose day has come (``holdspace tick``),
    then compact the database file; returns how many were deleted."""
    due = due_for_deletion(today)
    for process in due:
        purge(process)
    if due:
        compact_database()
    return len(due)
