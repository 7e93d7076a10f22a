"""The people around him and who may be told: the overview, people, informings
(with the survivor's side's approval where needed), his duty to inform, and
the survivor's side's consent."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.models import User
from holdspace.circle import access, rules, services, words
from holdspace.circle.forms import (
    ApprovalForm,
    ConfirmForm,
    ConsentForm,
    DutyForm,
    EditConsentForm,
    EditDutyForm,
    EditInformingForm,
    EditPersonForm,
    InformingForm,
    OutcomeForm,
    PersonForm,
    StanceForm,
)
from holdspace.circle.models import Approval, Consent, Duty, Informing, Person
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes.models import Group, Process
from holdspace.processes.services import Refused, since_the_start
from holdspace.processes.views.pages import form_page, record_context
from holdspace.processes.views.records import versioned_edit
from holdspace.watch import attention

# How long those he says he told have to confirm it before the watchdog asks.
CONFIRM_WITHIN_DAYS = 30
EDITED = gettext_lazy("Your changes are saved. The earlier version is kept.")


@dataclass(frozen=True)
class Gate:
    """What the page says before anyone acts: whether an informing needs
    the survivor's side's approval, why (dates only where the reader may
    read the consent they come from), and whether it has it."""

    needs: list[rules.Need]
    approved: bool
    pending: Approval | None
    readable: set[UUID]

    @property
    def open(self) -> bool:
        return not self.needs or self.approved

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return [
            {"code": n.code, "until": n.until if n.consent in self.readable else None}
            for n in self.needs
        ]


def _gate(user: User, informing: Informing) -> Gate:
    return Gate(
        needs=services.needs_for(informing),
        approved=access.is_approved(informing),
        pending=access.pending_approval(informing),
        readable=access.readable_ids(user, informing.process),
    )


@dataclass(frozen=True)
class Consents:
    """The consents the account may read, which are in force today, and the
    embargo that runs (its date only if its consent is readable)."""

    rows: list[Consent]
    in_force: set[UUID]
    embargo: datetime.date | None
    embargo_hidden: bool


def _consents(user: User, process: Process) -> Consents:
    today = timezone.localdate()
    facts = access.consent_facts(process)
    rows = list(access.consents_of(user, process).select_related("whom"))
    readable = {c.pk for c in rows}
    running = rules.embargo(facts, today)
    shown = running is not None and running.id in readable
    return Consents(
        rows=rows,
        in_force={f.id for f in rules.in_force(facts, today).values()} & readable,
        embargo=running.embargo_until if running is not None and shown else None,
        embargo_hidden=running is not None and not shown,
    )


def _my_groups(user: User, process: Process) -> list[Group]:
    mine = core.group_ids_for(user, process.pk)
    return [g for g in core.groups_of(process) if g.pk in mine]


def _readers(process: Process, author: Group) -> list[Group]:
    return [g for g in access.default_readers(process) if g.pk != author.pk]


# The overview ---------------------------------------------------------------------------


@require_GET
@core.per_object_access
def circle_overview(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_process_for_user(request, process_id)
    user = core.request_user(request)
    today = timezone.localdate()
    people = list(access.people_of(user, process))
    informings = list(access.informings_of(user, process))
    duties = list(access.duties_of(user, process).select_related("whom"))
    consents = _consents(user, process)
    core.open_keys([*people, *informings, *duties, *consents.rows])
    latest: dict[UUID, Informing] = {}
    for informing in informings:  # newest first: the first of each person is the latest
        latest.setdefault(informing.whom_id, informing)
    side = access.survivor_side(process)
    mine = _my_groups(user, process)
    return render(
        request,
        "circle/overview.html",
        {
            "process": process,
            "terms": process.terms,
            "people": [(p, latest.get(p.pk)) for p in people],
            "duties": duties,
            "late_from": today - datetime.timedelta(days=CONFIRM_WITHIN_DAYS),
            "consents": consents,
            "my_groups": mine,
            "survivor_group": side if side is not None and side in mine else None,
            "attention": attention.items_for(user, process),
        },
    )


def process_section(user: User, process: Process | None) -> dict[str, Any]:
    """The part of the process page: counts only, of what the account may read."""
    assert process is not None  # noqa: S101  (a section of the process page)
    people = access.people_of(user, process)
    told = access.informings_of(user, process).filter(status=Informing.Status.CARRIED_OUT)
    consents = _consents(user, process)
    return {
        "circle_people": people.count(),
        "circle_told": told.values("whom").distinct().count(),
        "circle_embargo": consents.embargo,
        "circle_embargo_hidden": consents.embargo_hidden,
    }


# People -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@core.per_object_access
def person_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _membership = core.get_group_for_user(request, group_id)
    process = group.process
    others = core.groups_of(process).exclude(pk=group.pk)
    initial = {"occurred_on": timezone.localdate(), "share_with": _readers(process, group)}
    form = PersonForm(posted(request), initial=initial, groups=others, terms=process.terms)

    def save(data: dict[str, Any]) -> Person:
        return services.add_person(
            author=core.request_user(request),
            group=group,
            relation=data["relation"],
            name=data["name"],
            relation_note=data["relation_note"],
            stance=data["stance"],
            may_contact=data["may_contact"],
            occurred_on=data["occurred_on"],
            audience=data["share_with"],
        )

    return form_page(
        request,
        form,
        "circle/person_form.html",
        {"group": group, "process": process},
        save=save,
        saved=_("The person is saved for the groups you chose."),
    )


@require_GET
@core.per_object_access
def person_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    person = access.get_for_user(request, record_id, Person)
    user = core.request_user(request)
    informings = list(access.informings_about(user, person))
    duties = list(access.duties_of(user, person.process).filter(whom=person))
    consents = list(access.consents_of(user, person.process).filter(whom=person))
    core.open_keys([*informings, *duties, *consents])
    return render(
        request,
        "circle/person_detail.html",
        record_context(
            request,
            person,
            person=person,
            informings=informings,
            duties=duties,
            consents=consents,
            in_force=_consents(user, person.process).in_force,
            stance_form=_stance_form(person),
            decided=list(access.decided_about(user, person)),
        ),
    )


def _stance_form(person: Person, data: Any = None) -> StanceForm:
    initial = {"stance": person.stance, "may_contact": person.may_contact}
    return StanceForm(
        data,
        initial={**initial, "version": person.version},
        floors=[since_the_start(person.process)],
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def person_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    person = access.get_for_user(request, record_id, Person, write=True)
    form = partial(EditPersonForm, terms=person.process.terms)
    return _edit(request, person, form, "circle/person_edit.html")


def _edit(
    request: HttpRequest, record: Person | Informing | Duty | Consent, make_form: Any, template: str
) -> HttpResponse:
    """An edit of a record's content: the earlier version is kept (S38)."""
    initial = {name: getattr(record, name) for name in type(record).CONTENT_FIELDS}
    return versioned_edit(
        request,
        record,
        make_form,
        initial={**initial, "version": record.version},
        template=template,
        context={"process": record.process},
        saved=str(EDITED),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def person_stance(request: HttpRequest, record_id: UUID) -> HttpResponse:
    person = access.get_for_user(request, record_id, Person, act=True)
    form = _stance_form(person, posted(request))

    def save(data: dict[str, Any]) -> Person:
        services.change_stance(
            person,
            by=core.request_user(request),
            stance=data["stance"],
            may_contact=data["may_contact"],
            expected_version=data["version"],
            happened_on=data["happened_on"],
        )
        return person

    return form_page(
        request,
        form,
        "circle/stance_form.html",
        record_context(request, person, person=person),
        save=save,
        saved=_("Saved. The change is on the chronology."),
    )


# Informing ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@core.per_object_access
def informing_new(request: HttpRequest, record_id: UUID) -> HttpResponse:
    person = access.get_for_user(request, record_id, Person, act=True)
    user = core.request_user(request)
    process = person.process
    group = core.acting_groups(user, person)[0]
    copies = access.copies_to_choose(user, process)
    initial = {
        "occurred_on": timezone.localdate(),
        "share_with": _readers(process, group),
        "status": Informing.Status.PLANNED,
    }
    form = InformingForm(
        posted(request),
        initial=initial,
        groups=core.groups_of(process).exclude(pk=group.pk),
        copies=copies,
        terms=process.terms,
    )
    today_needs = access.informing_needs_approval(
        process, whom=person, material=Informing.Material.NOTHING
    )

    def save(data: dict[str, Any]) -> Informing:
        return services.plan_informing(
            author=user,
            group=group,
            whom=person,
            told_by=data["told_by"],
            channel=data["channel"],
            material=data["material"],
            letter_copy=data.get("letter_copy"),
            material_note=data["material_note"],
            occurred_on=data["occurred_on"],
            audience=data["share_with"],
            carried_out=data["status"] == Informing.Status.CARRIED_OUT,
            reaction=data.get("reaction") or "",
            followed=data.get("followed") or "",
        )

    return form_page(
        request,
        form,
        "circle/informing_form.html",
        record_context(
            request,
            person,
            person=person,
            group=group,
            consents=_consents(user, process),
            needs_now=today_needs,
        ),
        save=save,
        saved=_(
            "The informing is saved. If it needs the survivor's side's approval, they have "
            "been asked."
        ),
        field="status",
    )


@require_GET
@core.per_object_access
def informing_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    informing = access.get_for_user(request, record_id, Informing)
    user = core.request_user(request)
    whom = access.readable_person(user, informing.whom)
    planned = informing.status == Informing.Status.PLANNED
    return render(
        request,
        "circle/informing_detail.html",
        record_context(
            request,
            informing,
            informing=informing,
            whom=whom,
            approvals=access.approvals_of(informing),
            gate=_gate(user, informing) if planned else None,
            planned=planned,
            speaks_for_survivor=access.speaks_for_survivor(user, informing.process),
            outcome_form=_outcome_form(informing),
        ),
    )


def _outcome_form(informing: Informing, data: Any = None) -> OutcomeForm:
    return OutcomeForm(data, floors=[since_the_start(informing.process)])


@require_http_methods(["GET", "POST"])
@core.per_object_access
def informing_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    informing = access.get_for_user(request, record_id, Informing, write=True)
    form = partial(
        EditInformingForm,
        planned=informing.status == Informing.Status.PLANNED,
        terms=informing.process.terms,
    )
    return _edit(request, informing, form, "circle/informing_edit.html")


@require_http_methods(["GET", "POST"])
@core.per_object_access
def informing_outcome(request: HttpRequest, record_id: UUID) -> HttpResponse:
    informing = access.get_for_user(request, record_id, Informing, act=True)
    user = core.request_user(request)
    form = _outcome_form(informing, posted(request))
    gate = _gate(user, informing) if informing.status == Informing.Status.PLANNED else None

    def save(data: dict[str, Any]) -> Informing:
        services.record_outcome(
            informing,
            by=user,
            outcome=data["outcome"],
            happened_on=data["happened_on"],
            reaction=data.get("reaction") or "",
            followed=data.get("followed") or "",
        )
        return informing

    return form_page(
        request,
        form,
        "circle/outcome_form.html",
        record_context(request, informing, informing=informing, gate=gate),
        save=save,
        saved=_("What happened is recorded."),
        field="outcome",
    )


@require_POST
@core.per_object_access
def informing_ask(request: HttpRequest, record_id: UUID) -> HttpResponse:
    informing = access.get_for_user(request, record_id, Informing, act=True)
    user = core.request_user(request)
    group = core.acting_groups(user, informing)[0]
    try:
        services.ask_approval(informing, by=user, group=group)
    except Refused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(
            request, _("The survivor's side is asked. Nothing happens before they decide.")
        )
    return redirect(informing)


@require_http_methods(["GET", "POST"])
@core.per_object_access
def informing_approval(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """The survivor's side approves or declines an informing outside its
    consent or during an embargo. A decline needs a reason."""
    informing = access.get_for_user(request, record_id, Informing, survivor=True)
    user = core.request_user(request)
    pending = access.pending_approval(informing)
    form = ApprovalForm(posted(request), floors=[since_the_start(informing.process)])
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide_approval(
                informing,
                by=user,
                approve=approve,
                reason=form.cleaned_data["reason"],
                decided_on=form.cleaned_data["happened_on"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("Approved. The group can now record it as carried out.")
                if approve
                else _("Declined. The group that asked can read your reason."),
            )
            return redirect(informing)
    return render(
        request,
        "circle/approval.html",
        record_context(
            request,
            informing,
            informing=informing,
            whom=access.readable_person(user, informing.whom),
            pending=pending,
            gate=_gate(user, informing),
            approvals=access.approvals_of(informing),
            form=form,
        ),
    )


# His duty to inform ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@core.per_object_access
def duty_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _membership = core.get_group_for_user(request, group_id)
    process = group.process
    user = core.request_user(request)
    people = access.people_of(user, process)
    core.open_keys(people)
    initial = {"occurred_on": timezone.localdate(), "share_with": _readers(process, group)}
    form = DutyForm(
        posted(request),
        initial=initial,
        groups=core.groups_of(process).exclude(pk=group.pk),
        people=people,
        terms=process.terms,
    )

    def save(data: dict[str, Any]) -> Duty:
        return services.record_duty(
            author=user,
            group=group,
            whom=data["whom"],
            description=data["description"],
            told_on=data["occurred_on"],
            comment=data["comment"],
            audience=data["share_with"],
        )

    return form_page(
        request,
        form,
        "circle/duty_form.html",
        {"group": group, "process": process},
        save=save,
        saved=words.duty_saved(process.terms),
        field="occurred_on",
    )


@require_GET
@core.per_object_access
def duty_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    duty = access.get_for_user(request, record_id, Duty)
    user = core.request_user(request)
    return render(
        request,
        "circle/duty_detail.html",
        record_context(
            request,
            duty,
            duty=duty,
            whom=access.readable_person(user, duty.whom),
            confirm_form=_confirm_form(duty),
            due=duty.occurred_on + datetime.timedelta(days=CONFIRM_WITHIN_DAYS),
        ),
    )


def _confirm_form(duty: Duty, data: Any = None) -> ConfirmForm:
    told = (duty.occurred_on, words.told_floor(duty.process.terms))
    return ConfirmForm(data, floors=[since_the_start(duty.process), told], terms=duty.process.terms)


@require_http_methods(["GET", "POST"])
@core.per_object_access
def duty_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    duty = access.get_for_user(request, record_id, Duty, write=True)
    form = partial(EditDutyForm, terms=duty.process.terms)
    return _edit(request, duty, form, "circle/duty_edit.html")


@require_http_methods(["GET", "POST"])
@core.per_object_access
def duty_confirm(request: HttpRequest, record_id: UUID) -> HttpResponse:
    duty = access.get_for_user(request, record_id, Duty, act=True)
    form = _confirm_form(duty, posted(request))

    def save(data: dict[str, Any]) -> Duty:
        services.confirm_duty(
            duty,
            by=core.request_user(request),
            confirmation=data["confirmation"],
            happened_on=data["happened_on"],
        )
        return duty

    return form_page(
        request,
        form,
        "circle/confirm_form.html",
        record_context(request, duty, duty=duty),
        save=save,
        saved=_("Saved. It is on the chronology."),
        field="confirmation",
    )


# Consent -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@core.per_object_access
def consent_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group = access.get_survivor_group_for_user(request, group_id)
    process = group.process
    user = core.request_user(request)
    people = list(access.people_of(user, process))
    core.open_keys(people)
    initial = {"occurred_on": timezone.localdate(), "share_with": _readers(process, group)}
    form = ConsentForm(
        posted(request),
        initial=initial,
        groups=core.groups_of(process).exclude(pk=group.pk),
        people=people,
    )

    def save(data: dict[str, Any]) -> Consent:
        return services.give_consent(
            author=user,
            group=group,
            whom=data["whom"],
            may_know=data["may_know"],
            embargo_until=data["embargo_until"],
            comment=data["comment"],
            occurred_on=data["occurred_on"],
            audience=data["share_with"],
        )

    return form_page(
        request,
        form,
        "circle/consent_form.html",
        {"group": group, "process": process, "consents": _consents(user, process)},
        save=save,
        saved=_("Your consent is saved. It applies from the day you gave for it."),
        field="embargo_until",
    )


@require_GET
@core.per_object_access
def consent_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    consent = access.get_for_user(request, record_id, Consent)
    user = core.request_user(request)
    return render(
        request,
        "circle/consent_detail.html",
        record_context(
            request,
            consent,
            consent=consent,
            whom=access.readable_person(user, consent.whom),
            in_force=consent.pk in _consents(user, consent.process).in_force,
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def consent_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    consent = access.get_for_user(request, record_id, Consent, write=True)
    return _edit(request, consent, EditConsentForm, "circle/consent_edit.html")
