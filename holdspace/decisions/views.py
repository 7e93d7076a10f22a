"""Decisions of a process, the consent round and its outcome; the
consequence ladder."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.models import User
from holdspace.circle import access as circle
from holdspace.decisions import access, services
from holdspace.decisions.forms import AnswerForm, LadderForm, OutcomeForm, ProposalForm
from holdspace.decisions.models import Answer, Decision, Ladder, NonCooperation
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes.models import Group, Process
from holdspace.processes.services import Refused
from holdspace.processes.views.pages import form_page, record_context

DRAFT_DEADLINE_DAYS = 7


def _user(request: HttpRequest) -> User:
    return core.request_user(request)


# The decisions of a process ------------------------------------------------------------


@require_GET
@core.per_object_access
def decision_list(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_process_for_user(request, process_id)
    user = _user(request)
    decisions = list(access.decisions_of(user, process))
    core.open_keys(decisions)
    waiting = _not_answered(decisions)
    by_status: dict[str, list[Decision]] = {status: [] for status in Decision.Status.values}
    replaced = []
    for decision in decisions:
        if decision.is_decided and decision.replaced_by_id:
            replaced.append(decision)
        else:
            by_status[decision.status].append(decision)
    return render(
        request,
        "decisions/list.html",
        {
            "process": process,
            "terms": process.terms,
            "drafts": by_status[Decision.Status.DRAFT],
            "open": [(d, waiting.get(d.pk, [])) for d in by_status[Decision.Status.OPEN]],
            "decided": by_status[Decision.Status.DECIDED],
            "replaced": replaced,
            "withdrawn": by_status[Decision.Status.WITHDRAWN],
            "today": timezone.localdate(),
        },
    )


def _not_answered(decisions: list[Decision]) -> dict[UUID, list[User]]:
    found: dict[UUID, list[User]] = {}
    for decision in decisions:
        if decision.is_open:
            answered = set(decision.answers.values_list("member_id", flat=True))
            found[decision.pk] = [
                u for u, _g in access.asked_people(decision) if u.pk not in answered
            ]
    return found


def process_section(user: User, process: Process | None) -> dict[str, object]:
    """The decisions part of the process page: how many wait, and where."""
    assert process is not None  # noqa: S101  (a section of the process page)
    counts = dict.fromkeys(Decision.Status.values, 0)
    for status in access.decisions_of(user, process).values_list("status", flat=True):
        counts[status] += 1
    return {"decision_counts": counts}


def _proposal_form(
    request: HttpRequest,
    process: Process,
    *,
    groups: QuerySet[Group],
    chosen: list[UUID],
    initial: dict[str, Any],
    draft: bool = False,
    exclude: Group | None = None,
) -> ProposalForm:
    user = _user(request)
    others = core.groups_of(process)
    if exclude is not None or len(groups) == 1:
        others = others.exclude(pk=(exclude or groups[0]).pk)
    return ProposalForm(
        posted(request),
        groups=groups,
        others=others,
        records=access.about_choices(user, process, chosen),
        terms=process.terms,
        draft=draft,
        initial=initial,
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def decision_new(request: HttpRequest, process_id: UUID) -> HttpResponse:
    """A new proposal; ``?about=<record>`` (any number) and ``?topic=`` fill
    in what it is about (other pages link here)."""
    process = core.get_process_for_user(request, process_id)
    user = _user(request)
    groups = access.my_groups(user, process)
    about = list(access.readable_records(user, process, request.GET.getlist("about")))
    topic = request.GET.get("topic", "")
    initial: dict[str, Any] = {
        "about": about,
        "topic": topic if topic in Decision.Topic.values else Decision.Topic.GENERAL,
        "group": access.carries_contact(user, process) or groups[0],
    }
    form = _proposal_form(
        request, process, groups=groups, chosen=[r.pk for r in about], initial=initial
    )

    def save(data: dict[str, Any]) -> Decision:
        return services.propose(
            author=user,
            group=data.get("group") or groups[0],
            proposal=form.as_proposal(),
            proposed_on=data["proposed_on"],
        )

    return form_page(
        request,
        form,
        "decisions/decision_form.html",
        {
            "process": process,
            "terms": process.terms,
            "embargo": _embargo(user, process, request.POST.get("topic", initial["topic"])),
        },
        save=save,
        saved=_("The proposal is open. The groups you asked can now answer it."),
        field="deadline",
    )


# One decision ----------------------------------------------------------------------------


def _decision_context(request: HttpRequest, decision: Decision, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    visible = core.records_visible_to(user, decision.process)
    about = list(decision.about.filter(pk__in=visible.values("pk")).order_by("occurred_on"))
    answers = {a.member_id: a for a in decision.answers.select_related("preferred", "group")}
    people = [
        (person, group, answers.get(person.pk)) for person, group in access.asked_people(decision)
    ]
    # Someone who answered and left the group since still counts as having answered.
    asked_ids = {person.pk for person, _g, _a in people}
    gone = [a for member, a in answers.items() if member not in asked_ids]
    readable = set(visible.values_list("pk", flat=True))
    my_group = access.asked_group_of(user, decision)
    closed = services.round_closed(decision)
    mine = answers.get(user.pk)
    answer_form = None
    if decision.is_open and my_group is not None and not closed:
        answer_form = AnswerForm(
            initial={
                "answer": mine.answer if mine else None,
                "reason": mine.reason if mine else "",
                "preferred": mine.preferred_id if mine else None,
            },
            options=decision.options.all(),
        )
    rungs = None
    if (
        decision.from_ladder_id
        and decision.from_ladder_id in readable
        and decision.from_ladder is not None
    ):
        rungs = services.position(decision.from_ladder, readable).get(decision.ladder_kind)
    return record_context(
        request,
        decision,
        decision=decision,
        options=list(decision.options.all()),
        about=about,
        people=people,
        gone=gone,
        not_answered=[p for p, _g, a in people if a is None],
        counts=_counts(answers.values()),
        answered=bool(answers),
        my_group=my_group,
        mine=mine,
        closed=closed,
        answer_form=answer_form,
        replaces=decision.replaces if decision.replaces_id in readable else None,
        replaced_by=decision.replaced_by if decision.replaced_by_id in readable else None,
        replacements=[d for d in decision.replacements.all() if d.pk in readable and d.is_open],
        participants=list(decision.participants.order_by("username")),
        rungs=rungs,
        ladder_readable=decision.from_ladder_id in readable,
        today=timezone.localdate(),
        embargo=_embargo(user, decision.process, decision.topic),
        **extra,
    )


def _embargo(user: User, process: Process, topic: str) -> circle.EmbargoNotice | None:
    """Said before anyone acts on a "whom to inform" decision: an embargo of
    the survivor's side runs (C8)."""
    if topic != Decision.Topic.INFORM:
        return None
    return circle.embargo_notice(user, process)


def _counts(answers: Any) -> list[tuple[str, int]]:
    given = [a.answer for a in answers]
    return [(str(label), given.count(value)) for value, label in Answer.Choice.choices]


@require_GET
@core.per_object_access
def decision_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    decision = access.get_decision(request, record_id)
    return render(request, "decisions/decision_detail.html", _decision_context(request, decision))


@require_http_methods(["GET", "POST"])
@core.per_object_access
def decision_answer(request: HttpRequest, record_id: UUID) -> HttpResponse:
    decision = access.get_decision(request, record_id, act=True)
    user = _user(request)
    group = access.asked_group_of(user, decision)
    mine = decision.answers.filter(member=user).first()
    form = AnswerForm(
        posted(request),
        initial={
            "answer": mine.answer if mine else None,
            "reason": mine.reason if mine else "",
            "preferred": mine.preferred_id if mine else None,
        },
        options=decision.options.all(),
    )

    def save(data: dict[str, Any]) -> Decision:
        if group is None:
            raise Refused(services.NOT_ASKED)
        services.answer(
            decision,
            member=user,
            group=group,
            choice=data["answer"],
            reason=data["reason"],
            preferred=data.get("preferred"),
        )
        return decision

    return form_page(
        request,
        form,
        "decisions/answer_form.html",
        _decision_context(request, decision),
        save=save,
        saved=_("Your answer is saved. You can change it until the deadline."),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def decision_outcome(request: HttpRequest, record_id: UUID) -> HttpResponse:
    decision = access.get_decision(request, record_id, act=True)
    if not decision.is_open and request.method == "GET":
        return redirect(decision)  # its page says where it stands
    user = _user(request)
    answered = list(decision.answers.values_list("member_id", flat=True))
    form = OutcomeForm(
        posted(request),
        options=list(decision.options.all()),
        people=access.who_may_have_taken_part(decision),
        initial={"participants": answered},
    )

    def save(data: dict[str, Any]) -> Decision:
        result, option = form.chosen()
        return services.record_outcome(
            decision,
            by=user,
            result=result,
            chosen_option=option,
            outcome=data["outcome"],
            outcome_reasons=data["outcome_reasons"],
            participants=data["participants"],
            decided_on=data["decided_on"],
            review_on=data["review_on"],
        )

    return form_page(
        request,
        form,
        "decisions/outcome_form.html",
        _decision_context(request, decision),
        save=save,
        saved=_("The outcome is recorded. It cannot be changed; a later decision can replace it."),
        field="decided_on",
    )


def _prepared_text(decision: Decision) -> dict[str, Any]:
    """What a prepared decision's form starts with: what was written, or the
    agreed step it points at, read now with the member's key."""
    initial: dict[str, Any] = {
        "proposal": decision.proposal,
        "reasons": decision.reasons,
        "deadline": timezone.localdate() + datetime.timedelta(days=DRAFT_DEADLINE_DAYS),
        "about": list(decision.about.all()),
        "topic": decision.topic,
    }
    step, ladder = decision.ladder_step, decision.from_ladder
    if not decision.proposal and step is not None:
        initial["proposal"] = step.text
    if not decision.reasons and ladder is not None and decision.ladder_kind:
        label = NonCooperation(decision.ladder_kind).label
        agreed = formats.date_format(ladder.agreed_on, "DATE_FORMAT") if ladder.agreed_on else ""
        if step is not None:
            initial["reasons"] = _(
                "Step %(number)s of what our group agreed in advance for “%(kind)s” "
                "(agreed on %(date)s)."
            ) % {"number": step.position, "kind": label, "date": agreed}
        else:
            initial["reasons"] = _(
                "Every step our group agreed in advance for “%(kind)s” has been taken. "
                "Decide together what comes now."
            ) % {"kind": label}
    return initial


@require_http_methods(["GET", "POST"])
@core.per_object_access
def decision_prepare(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """A prepared decision (from the ladder): read, change, then ask the group."""
    decision = access.get_decision(request, record_id, act=True)
    if decision.status != Decision.Status.DRAFT and request.method == "GET":
        return redirect(decision)  # already put to the group
    user = _user(request)
    process = decision.process
    initial = _prepared_text(decision)
    form = _proposal_form(
        request,
        process,
        groups=core.groups_of(process).filter(pk=decision.author_group_id),
        chosen=[r.pk for r in initial["about"]],
        initial=initial,
        draft=True,
        exclude=decision.author_group,
    )
    if decision.topic not in dict(form.fields["topic"].choices):  # type: ignore[attr-defined]  # a choice field, typed as a plain Field
        form.fields["topic"].choices = [(decision.topic, decision.get_topic_display())]  # type: ignore[attr-defined]  # a choice field, typed as a plain Field

    def save(data: dict[str, Any]) -> Decision:
        return services.open_draft(decision, by=user, proposal=form.as_proposal())

    return form_page(
        request,
        form,
        "decisions/prepare_form.html",
        _decision_context(request, decision),
        save=save,
        saved=_("The group is asked. Each member can now answer."),
        field="deadline",
    )


@require_POST
@core.per_object_access
def decision_withdraw(request: HttpRequest, record_id: UUID) -> HttpResponse:
    decision = access.get_decision(request, record_id, act=True)
    user = _user(request)
    if decision.is_open and not core.may_edit(user, decision):
        messages.error(
            request,
            _("An open round is withdrawn by whoever proposed it, or a coordinator of the group."),
        )
        return redirect(decision)
    try:
        services.withdraw(decision, by=user)
    except Refused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("The decision is withdrawn. It stays on the record."))
    return redirect(decision)


@require_http_methods(["GET", "POST"])
@core.per_object_access
def decision_replace(request: HttpRequest, record_id: UUID) -> HttpResponse:
    old = access.get_decision(request, record_id, act=True)
    if (not old.is_decided or old.replaced_by_id) and request.method == "GET":
        return redirect(old)  # its page says where it stands
    user = _user(request)
    process = old.process
    groups = access.my_groups(user, process)
    about = list(old.about.filter(pk__in=core.records_visible_to(user, process).values("pk")))
    proposable = {Decision.Topic.GENERAL, Decision.Topic.INFORM, Decision.Topic.RESPOND}
    initial = {
        "topic": old.topic if old.topic in proposable else Decision.Topic.GENERAL,
        "proposal": old.proposal,
        "about": [old, *about],
        "group": old.author_group if old.author_group_id in {g.pk for g in groups} else groups[0],
        "asked": [g for g in old.audience_groups.all() if g not in set(groups)],
        "inform_whom": old.inform_whom,
        "trust_built": old.trust_built,
        "gaining_power": old.gaining_power,
    }
    form = _proposal_form(
        request, process, groups=groups, chosen=[old.pk, *(r.pk for r in about)], initial=initial
    )

    def save(data: dict[str, Any]) -> Decision:
        return services.propose(
            author=user,
            group=data.get("group") or groups[0],
            proposal=form.as_proposal(),
            proposed_on=data["proposed_on"],
            replaces=old,
        )

    return form_page(
        request,
        form,
        "decisions/replace_form.html",
        _decision_context(request, old),
        save=save,
        saved=_("The new proposal is open. Once it is adopted, it replaces the earlier decision."),
        field="deadline",
    )


# The consequence ladder ------------------------------------------------------------------


@require_GET
@core.per_object_access
def ladder_page(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_process_for_user(request, process_id)
    user = _user(request)
    ladders = list(access.ladders_of(user, process))
    core.open_keys(ladders)
    keepers = {ladder.keeper_id for ladder in ladders}
    carrying = access.carries_contact(user, process)
    return render(
        request,
        "decisions/ladder.html",
        {
            "process": process,
            "terms": process.terms,
            "ladders": [_ladder_view(user, ladder) for ladder in ladders],
            "may_start": carrying if carrying is not None and carrying.pk not in keepers else None,
            "kinds": NonCooperation.choices,
        },
    )


@require_GET
@core.per_object_access
def ladder_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """A ladder (from the chronology) is shown on the process's ladder page."""
    ladder = access.get_ladder(request, record_id)
    return redirect(reverse("hs-ladder", args=[ladder.process_id]) + f"#ladder-{ladder.pk}")


def _may_go_on(rungs: list[services.Rung]) -> bool:
    """Whether a step comes next and none of the kind waits to be asked or answered."""
    states = {rung.state for rung in rungs}
    return "next" in states and not states & {"draft", "open"}


def _ladder_view(user: User, ladder: Ladder) -> dict[str, Any]:
    readable = core.records_visible_to(user, ladder.process).filter(kind="decision").values("pk")
    rungs = services.position(ladder, readable)
    in_keeper = ladder.keeper_id in core.group_ids_for(user, ladder.process_id)
    pending = ladder.ladder_decisions.filter(
        topic=Decision.Topic.LADDER,
        status__in=services.TAKEN,
        ladder_version=ladder.version,
        pk__in=readable,
    ).first()
    return {
        "ladder": ladder,
        "kinds": [
            (NonCooperation(kind).label, kind_rungs, kind, _may_go_on(kind_rungs))
            for kind, kind_rungs in rungs.items()
        ],
        "may_edit": core.may_edit(user, ladder),
        "in_keeper": in_keeper,
        "pending": pending,
        "agreed_by": ladder.agreed_by_id
        if ladder.agreed_by_id and readable.filter(pk=ladder.agreed_by_id).exists()
        else None,
    }


def _ladder_initial(ladder: Ladder | None) -> dict[str, Any]:
    if ladder is None:
        return {}
    steps = services.steps_by_kind(ladder)
    return {
        **{kind: "\n".join(str(s.text) for s in found) for kind, found in steps.items()},
        "version": ladder.version,
    }


@require_http_methods(["GET", "POST"])
@core.per_object_access
def ladder_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _membership = core.get_group_for_user(request, group_id)
    existing = access.ladder_kept_by(group)
    if existing is not None:
        return redirect("hs-ladder-edit", existing.pk)
    form = LadderForm(posted(request), new=True)
    user = _user(request)

    def save(data: dict[str, Any]) -> str:
        return _ladder_saved(services.write_ladder(group, by=user, steps=form.steps()))

    return form_page(
        request,
        form,
        "decisions/ladder_form.html",
        {"process": group.process, "terms": group.process.terms, "group": group, **_crumb(group)},
        save=save,
        saved=_("The steps are saved. Ask your group to agree them: only agreed steps are used."),
    )


def _crumb(group: Group) -> dict[str, Any]:
    return {
        "ladder_url": reverse("hs-ladder", args=[group.process_id]),
        "ladder_label": _("The consequence ladder"),
    }


def _ladder_saved(ladder: Ladder) -> str:
    return reverse("hs-ladder", args=[ladder.process_id])


@require_http_methods(["GET", "POST"])
@core.per_object_access
def ladder_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    ladder = access.get_ladder(request, record_id, write=True)
    user = _user(request)
    form = LadderForm(posted(request), initial=_ladder_initial(ladder))

    def save(data: dict[str, Any]) -> str:
        return _ladder_saved(
            services.write_ladder(
                ladder.keeper,
                by=user,
                steps=form.steps(),
                expected_version=data["version"],
                ladder=ladder,
            )
        )

    return form_page(
        request,
        form,
        "decisions/ladder_form.html",
        record_context(
            request, ladder, ladder=ladder, group=ladder.keeper, **_crumb(ladder.keeper)
        ),
        save=save,
        saved=_("The steps are saved. They were changed, so your group has to agree them again."),
    )


def steps_text(ladder: Ladder) -> str:
    """The steps written out, to be agreed (kept with the decision)."""
    lines = []
    for kind, steps in services.steps_by_kind(ladder).items():
        if steps:
            lines.append(f"{capfirst(NonCooperation(kind).label)}:")
            lines += [f"{step.position}. {step.text}" for step in steps]
            lines.append("")
    return "\n".join(lines).strip()


@require_POST
@core.per_object_access
def ladder_next(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """Prepare the next agreed step of one kind by hand (a draft decision
    for the ladder's group); nobody is asked or told anything yet."""
    ladder = access.get_ladder(request, record_id, act=True)
    user = _user(request)
    if ladder.keeper_id not in core.group_ids_for(user, ladder.process_id):
        messages.error(request, _("Only the group that keeps these steps can prepare them."))
        return redirect("hs-ladder", ladder.process_id)
    kind = request.POST.get("kind", "")
    if kind not in NonCooperation.values:
        messages.error(request, _("Please choose which steps to go on with."))
        return redirect("hs-ladder", ladder.process_id)
    try:
        draft = services.prepare_next_step(ladder, kind=kind, by=user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("hs-ladder", ladder.process_id)
    return redirect(draft)


@require_POST
@core.per_object_access
def ladder_agree(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """Ask the ladder's group to agree its steps as they stand: a prepared decision."""
    ladder = access.get_ladder(request, record_id, act=True)
    user = _user(request)
    if ladder.keeper_id not in core.group_ids_for(user, ladder.process_id):
        messages.error(request, _("Only the group that keeps these steps can agree them."))
        return redirect("hs-ladder", ladder.process_id)
    if ladder.is_agreed:
        messages.info(request, _("Your group already agreed these steps."))
        return redirect("hs-ladder", ladder.process_id)
    pending = ladder.ladder_decisions.filter(
        topic=Decision.Topic.LADDER, status__in=services.TAKEN, ladder_version=ladder.version
    ).first()
    if pending is None:
        pending = services.prepare_ladder_agreement(ladder, by=user, steps_text=steps_text(ladder))
    if pending.status == Decision.Status.DRAFT:
        return redirect("hs-decision-prepare", pending.pk)
    return redirect(pending)
