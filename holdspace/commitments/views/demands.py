"""Demands: their wording (changed only with the survivor's side's approval),
status, history, steps towards them and the evidence given."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.models import User
from holdspace.commitments import access, services, starters
from holdspace.commitments.forms import (
    AssessForm,
    DecisionForm,
    DemandForm,
    DemandStatusForm,
    EditDemandForm,
    EditStepForm,
    EvidenceForm,
    ProposalForm,
    RewordForm,
    StepForm,
    StepStatusForm,
)
from holdspace.commitments.models import Demand, Step, WordingProposal
from holdspace.commitments.views.common import form_page, record_context
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes.models import Record
from holdspace.processes.services import Refused
from holdspace.processes.views.records import versioned_edit


@require_http_methods(["GET", "POST"])
@core.per_object_access
def demand_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group = access.get_survivor_group_for_user(request, group_id)
    others = core.groups_of(group.process).exclude(pk=group.pk)
    template = starters.find(starters.DEMAND_TEMPLATES, request.GET.get("template"))
    initial = {
        "wording": template.text if template else "",
        "share_with": [g for g in others if g.kind == g.Kind.CONTACT],
    }
    form = DemandForm(posted(request), initial=initial, groups=others)

    def save(data: dict[str, Any]) -> Demand:
        return services.create_demand(
            author=core.request_user(request),
            group=group,
            occurred_on=data["occurred_on"],
            wording=data["wording"],
            reason=data["reason"],
            audience=data["share_with"],
        )

    return form_page(
        request,
        form,
        "commitments/demand_form.html",
        {"group": group, "process": group.process, "templates": starters.DEMAND_TEMPLATES},
        save=save,
        saved=_("The demand is saved. Its wording can only change with your group's approval."),
        field="wording",
    )


@require_GET
@core.per_object_access
def demand_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    demand = access.get_for_user(request, record_id, Demand)
    user = core.request_user(request)
    steps = list(access.steps_of(user, demand))
    core.open_keys(steps)
    today = timezone.localdate()
    proposals = list(
        demand.proposals.select_related(
            "proposed_by", "decided_by", "proposed_in"
        ).prefetch_related("participants")
    )
    for proposal in proposals:
        proposal.demand = demand  # loaded already, with its process
    return render(
        request,
        "commitments/demand_detail.html",
        record_context(
            request,
            demand,
            demand=demand,
            wordings=list(demand.wordings.select_related("agreed_by", "proposed_by")),
            status_changes=list(demand.status_changes.select_related("changed_by")),
            pending=[p for p in proposals if p.status == WordingProposal.Status.PENDING],
            decided=[p for p in proposals if p.status != WordingProposal.Status.PENDING],
            steps=[(step, step.is_overdue(today)) for step in steps],
            evidence=list(demand.evidence.select_related("added_by")),
            step_templates=starters.STEP_TEMPLATES,
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def demand_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    demand = access.get_for_user(request, record_id, Demand, write=True)
    initial = {
        "occurred_on": demand.occurred_on,
        "reason": demand.reason,
        "version": demand.version,
    }
    history_begins = services.demand_history_begins(demand)

    def make_form(data: Any, *, initial: dict[str, Any]) -> EditDemandForm:
        return EditDemandForm(data, initial=initial, history_begins=history_begins)

    return versioned_edit(
        request,
        demand,
        make_form,
        initial=initial,
        template="commitments/demand_edit.html",
        context={"process": demand.process, "demand": demand},
        saved=_("Your changes are saved. The earlier version is kept."),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def demand_reword(request: HttpRequest, record_id: UUID) -> HttpResponse:
    demand = access.get_for_user(request, record_id, Demand, survivor=True)
    form = RewordForm(
        posted(request),
        initial={"wording": demand.wording, "version": demand.version},
        floors=services.wording_floors(demand),
    )

    def save(data: dict[str, Any]) -> Demand:
        services.reword(
            demand,
            by=core.request_user(request),
            wording=data["wording"],
            expected_version=data["version"],
            happened_on=data["happened_on"],
        )
        return demand

    return form_page(
        request,
        form,
        "commitments/demand_reword.html",
        record_context(request, demand, demand=demand),
        save=save,
        saved=_("The new wording is agreed. The earlier ones stay in the demand's history."),
        field="wording",
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def demand_propose(request: HttpRequest, record_id: UUID) -> HttpResponse:
    demand = access.get_for_user(request, record_id, Demand, act=True)
    user = core.request_user(request)
    form = ProposalForm(
        posted(request),
        initial={"kind": "reword", "wording": demand.wording},
        floors=services.since_the_demand(demand),
    )

    def save(data: dict[str, Any]) -> Demand:
        group = core.acting_groups(user, demand)[0]  # acting means being in one
        services.propose(
            demand,
            by=user,
            group=group,
            kind=data["kind"],
            wording=data["wording"],
            reason=data["reason"],
            proposed_on=data["happened_on"],
        )
        return demand

    return form_page(
        request,
        form,
        "commitments/demand_propose.html",
        record_context(request, demand, demand=demand),
        save=save,
        saved=_("Your proposal is saved. Nothing changes until the survivor's side approves it."),
    )


def decision_form(proposal: WordingProposal, user: User, data: Any = None) -> DecisionForm:
    return DecisionForm(
        data,
        auto_id="decide-%s",
        initial={"participants": [user.pk]},
        floors=services.decision_floors(proposal, approve=False),
        approval_floors=services.decision_floors(proposal),
        members=access.survivor_side_members(proposal.demand.process_id),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def demand_decide(request: HttpRequest, record_id: UUID, proposal_id: UUID) -> HttpResponse:
    """Approve or decline a proposal, on a page that shows the current and the
    proposed version side by side. A decline needs a reason; an approval, a
    ticked confirmation (it applies at once); both name who took part."""
    demand = access.get_for_user(request, record_id, Demand, survivor=True)
    proposal = access.get_proposal(request, demand, proposal_id)
    user = core.request_user(request)
    pending = proposal.status == WordingProposal.Status.PENDING  # as read, before any attempt
    form = decision_form(proposal, user, posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide(
                proposal,
                by=user,
                approve=approve,
                reason=form.cleaned_data["reason"],
                decided_on=form.cleaned_data["happened_on"],
                participants=form.cleaned_data["participants"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("Approved. The demand is changed.")
                if approve
                else _("Declined. Nothing changed; the proposers can read your reason."),
            )
            return redirect(demand)
    return render(
        request,
        "commitments/demand_decide.html",
        record_context(
            request, demand, demand=demand, proposal=proposal, form=form, pending=pending
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def demand_status(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """His response to the demand, for any group acting on it; met and
    withdrawn for the survivor's side (others propose them)."""
    demand = access.get_for_user(request, record_id, Demand, act=True)
    user = core.request_user(request)
    allowed = services.status_choices(demand, user)
    form = DemandStatusForm(
        posted(request),
        initial={"seen": demand.status},
        allowed=allowed,
        floors=services.demand_floors(demand),
    )

    def save(data: dict[str, Any]) -> Demand:
        services.change_status(
            demand,
            by=user,
            status=data["status"],
            note=data["note"],
            seen=data["seen"] or None,
            happened_on=data["happened_on"],
        )
        return demand

    return form_page(
        request,
        form,
        "commitments/demand_status.html",
        record_context(request, demand, demand=demand, allowed=allowed),
        save=save,
        saved=_("The status is changed. The earlier ones stay in the demand's history."),
        field="status",
    )


# Steps -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@core.per_object_access
def step_new(request: HttpRequest, record_id: UUID) -> HttpResponse:
    demand = access.get_for_user(request, record_id, Demand, act=True)
    user = core.request_user(request)
    template = starters.find(starters.STEP_TEMPLATES, request.GET.get("template"))
    form = StepForm(
        posted(request),
        initial={"description": template.text if template else ""},
        groups=core.acting_groups(user, demand),
        floors=services.since_the_demand(demand),
    )

    def save(data: dict[str, Any]) -> Step:
        return services.add_step(demand, author=user, **data)

    return form_page(
        request,
        form,
        "commitments/step_form.html",
        record_context(request, demand, demand=demand, templates=starters.STEP_TEMPLATES),
        save=save,
        saved=demand.process.terms.pick(
            he=_("The step is saved. It is his task: note here what he reports."),
            she=_("The step is saved. It is her task: note here what she reports."),
            they=_("The step is saved. It is their task: note here what they report."),
            none=_(
                "The step is saved. It is the task of the %(term)s: note here what is reported."
            ),
        ),
        field="due_on",
    )


@require_GET
@core.per_object_access
def step_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    step = access.get_for_user(request, record_id, Step)
    return _step_page(request, step, StepStatusForm(auto_id="step-%s"))


def _step_page(request: HttpRequest, step: Step, status_form: StepStatusForm) -> HttpResponse:
    user = core.request_user(request)
    towards = access.readable_or_none(user, step.towards)
    core.open_keys([step], towards.data_key_id if towards else None)
    return render(
        request,
        "commitments/step_detail.html",
        record_context(
            request,
            step,
            step=step,
            towards=towards,
            overdue=step.is_overdue(),
            evidence=list(step.evidence.select_related("added_by")),
            status_form=status_form,
            history=access.history_of(user, step),
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def step_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    step = access.get_for_user(request, record_id, Step, write=True)
    initial = {
        "description": step.description,
        "occurred_on": step.occurred_on,
        "due_on": step.due_on,
        "version": step.version,
    }
    floors = services.since_the_demand(step.towards)
    history_begins = services.step_history_begins(step)

    def make_form(data: Any, *, initial: dict[str, Any]) -> EditStepForm:
        return EditStepForm(data, initial=initial, floors=floors, history_begins=history_begins)

    return versioned_edit(
        request,
        step,
        make_form,
        initial=initial,
        template="commitments/step_edit.html",
        context={"process": step.process, "step": step},
        saved=_("Your changes are saved. The earlier version is kept."),
    )


@require_POST
@core.per_object_access
def step_status(request: HttpRequest, record_id: UUID) -> HttpResponse:
    step = access.get_for_user(request, record_id, Step, act=True)
    form = StepStatusForm(request.POST, auto_id="step-%s", floors=services.step_floors(step))
    if not form.is_valid():
        if "happened_on" in form.errors:
            return _step_page(request, step, form)  # with the day that was typed
        messages.error(request, _("Please choose done, dropped or open."))
        return redirect(step)
    try:
        services.set_step_status(
            step,
            by=core.request_user(request),
            status=form.cleaned_data["status"],
            seen=form.cleaned_data["seen"] or None,
            happened_on=form.cleaned_data["happened_on"],
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The step's status is changed."))
    return redirect(step)


# Evidence --------------------------------------------------------------------


def _progress_record(request: HttpRequest, record_id: UUID) -> Demand | Step:
    """A demand or a step the account may act on (evidence is about one of them)."""
    record = core.get_record_for_user(request, record_id)
    models: dict[str, type[Demand] | type[Step]] = {"demand": Demand, "step": Step}
    model = models.get(record.kind)
    if model is None:
        raise core.deny(request, "record_of_other_kind", record_id)
    found: Demand | Step = access.get_for_user(request, record_id, model, act=True)
    return found


@require_http_methods(["GET", "POST"])
@core.per_object_access
def evidence_new(request: HttpRequest, record_id: UUID) -> HttpResponse:
    record = _progress_record(request, record_id)
    form = EvidenceForm(posted(request))

    def save(data: dict[str, Any]) -> Record:
        services.add_evidence(record, by=core.request_user(request), **data)
        return record

    return form_page(
        request,
        form,
        "commitments/evidence_form.html",
        record_context(request, record),
        save=save,
        saved=_("Saved. The group can now check it and say how it sees it."),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def evidence_assess(request: HttpRequest, record_id: UUID, evidence_id: UUID) -> HttpResponse:
    record = _progress_record(request, record_id)
    evidence = access.get_evidence(request, record, evidence_id)
    initial = {
        "assessment": evidence.assessment,
        "note": evidence.assessment_note,
        "version": evidence.version,
    }
    form = AssessForm(posted(request), initial=initial)

    def save(data: dict[str, Any]) -> Record:
        services.assess_evidence(
            evidence,
            by=core.request_user(request),
            assessment=data["assessment"],
            note=data["note"],
            expected_version=data["version"],
        )
        return record

    return form_page(
        request,
        form,
        "commitments/evidence_assess.html",
        record_context(request, record, evidence=evidence),
        save=save,
        saved=_("Your group's view is saved."),
    )
