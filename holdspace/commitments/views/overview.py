"""All of a process's letter, demands, steps and agreements on one page."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from holdspace.accounts.models import User
from holdspace.commitments import access
from holdspace.commitments.models import Agreement
from holdspace.processes import access as core
from holdspace.processes.models import Process


@require_GET
@core.per_object_access
def overview(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_process_for_user(request, process_id)
    user = core.request_user(request)
    found = access.commitments_of(user, process)
    core.open_keys([record for records in found.values() for record in records])
    today = timezone.localdate()
    return render(
        request,
        "commitments/overview.html",
        {
            "process": process,
            "terms": process.terms,
            **found,
            "steps": [(step, step.is_overdue(today)) for step in found["steps"]],
            "agreements": [_with_status(a, today) for a in found["agreements"]],
            **creation_links(user, process),
        },
    )


def process_section(user: User, process: Process | None) -> dict[str, object]:
    """The letter, demands and agreements part of the process page."""
    assert process is not None  # noqa: S101  (a section of the process page)
    return {"commitments": access.summary(user, process), **creation_links(user, process)}


def creation_links(user: User, process: Process) -> dict[str, object]:
    """Where this account can start a letter, a demand or an agreement."""
    side = access.survivor_side(process.pk)
    mine = core.group_ids_for(user, process.pk)
    return {
        "survivor_group": side if side is not None and side.pk in mine else None,
        "letter_written": access.letter_written(user, process),
        "agreement_groups": [g for g in core.groups_of(process) if g.pk in mine],
    }


def _with_status(agreement: Agreement, today: datetime.date) -> tuple[Agreement, str, str]:
    status = agreement.effective_status(today)
    return agreement, status, str(Agreement.Status(status).label)
