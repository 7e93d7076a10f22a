"""The closure page of a process: its criteria, closing it, the statement,
reopening, and the export for the survivor's side (DESIGN C19)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.models import User
from holdspace.accounts.views.account import recent_password
from holdspace.audit import services as audit
from holdspace.closure import access, export, services
from holdspace.closure.forms import CloseForm, CriteriaForm, ReopenForm, StatementForm
from holdspace.closure.guard import allowed_when_closed
from holdspace.closure.models import Closure, Reopening
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes.models import Party, Process
from holdspace.processes.services import Refused
from holdspace.processes.views.pages import form_page, record_context


def _context(request: HttpRequest, process: Process, **extra: Any) -> dict[str, Any]:
    return {"process": process, "terms": process.terms, "section": "closure", **extra}


# The closure page ------------------------------------------------------------------


def process_section(user: User, process: Process | None) -> dict[str, object]:
    """The closure part of the process page (and its banner): whether it is
    closed, when everything will be deleted, and how many criteria there are."""
    assert process is not None  # noqa: S101  (a section of the process page)
    closure = access.closure_of(user, process)
    return {
        "closure": closure,
        "criteria_count": services.criteria_count(process),
    }


@require_GET
@core.per_object_access
def closure_page(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_process_for_user(request, process_id)
    user = core.request_user(request)
    keeper = core.keeping_group(process, Party.Role.HARMED)
    closure = access.closure_of(user, process)
    return render(
        request,
        "closure/closure.html",
        _context(
            request,
            process,
            criteria=services.criteria_of(process),
            closure=closure,
            results=list(closure.results.all()) if closure else [],
            steers=core.steers(user, process),
            her_side=keeper is not None and keeper.pk in core.coordinated_group_ids(user, process),
            exports=keeper is not None and keeper.pk in core.group_ids_for(user, process.pk),
            keeper_id=keeper.pk if keeper is not None else None,
            she_answers=services.she_answers(process),
            conclusion=access.conclusion_of(user, process),
            closed=process.status == Process.Status.CLOSED,
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def criteria_edit(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_steered_process_for_user(request, process_id)
    user = core.request_user(request)
    current = "\n".join(str(c.text) for c in services.criteria_of(process))
    form = CriteriaForm(posted(request), initial={"criteria": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_criteria(
                process,
                by=user,
                group=core.acting_steering_group(user, process),
                texts=form.cleaned_data["criteria"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The closure criteria are saved."))
            return redirect("hs-closure", process.pk)
    return render(request, "closure/criteria_form.html", _context(request, process, form=form))


@require_http_methods(["GET", "POST"])
@core.per_object_access
def close(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_steered_process_for_user(request, process_id)
    user = core.request_user(request)
    criteria = [str(c.text) for c in services.criteria_of(process)]
    form = CloseForm(posted(request), criteria=criteria, floors=[])
    seen = process.status

    def save(data: dict[str, Any]) -> str:
        services.close(
            process,
            by=user,
            group=core.acting_steering_group(user, process),
            closing=form.as_closing(data),
            seen=seen,
        )
        return reverse("hs-closure", args=[process.pk])

    return form_page(
        request,
        form,
        "closure/close_form.html",
        _context(request, process),
        save=save,
        saved=_("The process is closed. Nothing new can be written in it."),
    )


@allowed_when_closed
@require_http_methods(["GET", "POST"])
@core.per_object_access
def reopen(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_steered_process_for_user(request, process_id)
    user = core.request_user(request)
    form = ReopenForm(posted(request))
    seen = process.status

    def save(data: dict[str, Any]) -> Reopening:
        return services.reopen(
            process,
            by=user,
            group=core.acting_steering_group(user, process),
            reasons=data["reasons"],
            reopened_on=data["happened_on"],
            seen=seen,
        )

    return form_page(
        request,
        form,
        "closure/reopen_form.html",
        _context(request, process),
        save=save,
        saved=_("The process is open again."),
    )


# The public statement ----------------------------------------------------------------


@allowed_when_closed
@require_http_methods(["GET", "POST"])
@core.per_object_access
def statement(request: HttpRequest, process_id: UUID) -> HttpResponse:
    """Her support group approves or declines the statement, when she does
    not answer herself."""
    process, _group = access.her_side(request, process_id)
    user = core.request_user(request)
    closure = access.closure_of(user, process)
    form = StatementForm(posted(request))
    waiting = closure is not None and closure.statement_status == Closure.Statement.WAITING
    if closure is not None and waiting and request.method == "POST" and form.is_valid():
        try:
            services.answer_statement(
                closure,
                by=user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                herself=False,
                answered_on=form.cleaned_data["happened_on"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Thank you. Your answer is saved."))
            return redirect("hs-closure", process.pk)
    return render(
        request,
        "closure/statement.html",
        _context(
            request,
            process,
            closure=closure,
            form=form if waiting else None,
            she_answers=services.she_answers(process),
        ),
    )


@allowed_when_closed
@require_POST
@core.per_object_access
def release(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_steered_process_for_user(request, process_id)
    closure = access.closure_of(core.request_user(request), process)
    if closure is None:
        messages.error(request, _("The process is not closed, so there is no statement."))
        return redirect("hs-closure", process.pk)
    try:
        services.release_statement(closure, by=core.request_user(request))
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The statement is released."))
    return redirect("hs-closure", process.pk)


# The export for the survivor's side --------------------------------------------------


def _download(text: str) -> HttpResponse:
    name = f"holdspace-export-{timezone.localdate().isoformat()}.md"
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allowed_when_closed
@require_http_methods(["GET", "POST"])
@core.per_object_access
@recent_password
def group_export(request: HttpRequest, group_id: UUID) -> HttpResponse:
    """What her support group may read of the process, for her side to keep
    before it is deleted (any member of that group; the password again, S26)."""
    group, _membership = core.get_group_for_user(request, group_id)
    process = group.process
    keeper = core.keeping_group(process, Party.Role.HARMED)
    if keeper is None or keeper.pk != group.pk:
        raise core.deny(request, "not_survivor_side", group_id)
    if request.method == "POST":
        user = core.request_user(request)
        records = access.export_records(user, process, group)
        text = export.for_group(records, access.closure_of(user, process))
        audit.log(
            "closure.exported", user=user, target=group, process_id=process.pk, group_id=group.pk
        )
        return _download(text)
    return render(
        request,
        "closure/export.html",
        _context(request, process, for_her=False),
    )


# Her own page --------------------------------------------------------------------------


@allowed_when_closed
@require_http_methods(["GET", "POST"])
@core.party_view
def her_closure(request: HttpRequest) -> HttpResponse:
    """The end of her process, and the statement when she answers it herself."""
    party = core.get_party_for_user(request, Party.Role.HARMED)
    closure = access.closure_for_party(party)
    hers = party.answers_herself()
    form = StatementForm(posted(request))
    waiting = closure is not None and closure.statement_status == Closure.Statement.WAITING
    if closure is not None and hers and waiting and request.method == "POST" and form.is_valid():
        try:
            services.answer_statement(
                closure,
                by=core.request_user(request),
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                herself=True,
                answered_on=form.cleaned_data["happened_on"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Thank you. Your answer is saved."))
            return redirect("hs-survivor-closure")
    return render(
        request,
        "closure/her_closure.html",
        {
            "party": party,
            "process": party.process,
            "terms": party.process.terms,
            "closure": closure,
            "results": list(closure.results.all()) if closure else [],
            "form": form if hers and waiting else None,
            "hers": hers,
        },
    )


@allowed_when_closed
@require_http_methods(["GET", "POST"])
@core.party_view
@recent_password
def her_export(request: HttpRequest) -> HttpResponse:
    party = core.get_party_for_user(request, Party.Role.HARMED)
    closure = access.closure_for_party(party)
    if request.method == "POST":
        user = core.request_user(request)
        audit.log("closure.exported", user=user, target=party, process_id=party.process_id)
        return _download(export.for_her(party, closure))
    return render(
        request,
        "closure/export.html",
        {"process": party.process, "terms": party.process.terms, "for_her": True},
    )


# The records on the chronology ---------------------------------------------------------


@require_GET
@core.per_object_access
def closure_record(request: HttpRequest, record_id: UUID) -> HttpResponse:
    closure = access.get_closure_for_user(request, record_id)
    core.open_keys([closure])
    return render(
        request,
        "closure/record.html",
        {
            **record_context(request, closure),
            "closure": closure,
            "results": list(closure.results.all()),
        },
    )


@require_GET
@core.per_object_access
def reopening_record(request: HttpRequest, record_id: UUID) -> HttpResponse:
    reopening = access.get_reopening_for_user(request, record_id)
    core.open_keys([reopening])
    return render(
        request,
        "closure/record.html",
        {**record_context(request, reopening), "reopening": reopening},
    )
