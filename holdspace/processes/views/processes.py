"""Your processes; a process's overview, chronology, settings and audit log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from holdspace.accounts.models import User
from holdspace.audit.labels import describe
from holdspace.lib.http import posted
from holdspace.processes import access, registry, services, writes
from holdspace.processes.forms import (
    LEAVE,
    STAY,
    EditProcessForm,
    HandOverForm,
    NewProcessForm,
    PartyForm,
)
from holdspace.processes.models import Membership, Party, Process, Responsibility
from holdspace.processes.views.parties import HOMES

TIMELINE_PAGE_SIZE = 25


@require_GET
@access.per_object_access
def dashboard(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    memberships = list(access.dashboard_memberships(user))
    linked = access.parties_of_account(user).first()
    if linked is not None and not memberships:
        # The two people the process is about have their own pages (S44).
        return redirect(HOMES[Party.Role(linked.role)])
    by_process: dict[UUID, list[Membership]] = {}
    processes = {}
    for membership in memberships:
        process = membership.group.process
        processes[process.pk] = process
        by_process.setdefault(process.pk, []).append(membership)
    entries = [
        (processes[pk], memberships, any(m.status == Membership.Status.ACTIVE for m in memberships))
        for pk, memberships in by_process.items()
    ]
    return render(
        request,
        "processes/dashboard.html",
        {
            "entries": entries,
            "sections": registry.sections("dashboard"),
            **_section_context(user, None, registry.sections("dashboard")),
            "may_start": services.may_start_processes(user),
            "party_home": HOMES[Party.Role(linked.role)] if linked is not None else None,
        },
    )


@require_http_methods(["GET", "POST"])
@access.per_object_access
def process_new(request: HttpRequest) -> HttpResponse:
    """Start a process: for administrators and the accounts they allow. Others
    are told where they are and what comes next, never shown a form they
    cannot use; party accounts do not reach it at all (S44)."""
    user = access.request_user(request)
    if services.is_party(user):
        raise access.deny(request, "party_account", None)
    if not services.may_start_processes(user):
        in_a_group = access.dashboard_memberships(user).exists()
        return render(request, "processes/process_new.html", {"in_a_group": in_a_group})
    form = writes.offer(NewProcessForm(posted(request)))
    if request.method == "POST" and form.is_valid():

        def save(data: dict[str, Any]) -> str:
            process = services.create_process(user, services.NewProcess(**data))
            return reverse("hs-process", args=[process.pk])

        try:
            target = writes.save_once(user, form, save)
        except writes.AlreadySaved as first:
            messages.info(request, first.message)
            return redirect(writes.fallback(request, first))
        messages.success(request, _("The process is created. You coordinate its first group."))
        return redirect(target)
    return render(request, "processes/process_new.html", {"form": form})


@require_GET
@access.per_object_access
def process_detail(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = access.get_process_for_user(request, process_id)
    user = access.request_user(request)
    mine = access.group_ids_for(user, process.pk)
    groups = list(access.groups_of(process))
    recent = list(access.timeline_for(user, process)[:5])
    top, sections = registry.sections("process-top"), registry.sections("process")
    access.open_keys(recent, process.data_key_id)
    return render(
        request,
        "processes/process_detail.html",
        {
            "process": process,
            "terms": process.terms,
            "parties": access.parties_of(process),
            "groups": [(group, group.pk in mine) for group in groups],
            "my_groups": [group for group in groups if group.pk in mine],
            "responsibilities": access.responsibilities_of(process),
            "is_coordinator": bool(access.coordinated_group_ids(user, process)),
            "steers": access.steers(user, process),
            "keeps": access.kept_parties(user, process),
            "her_side": _her_side(process, mine),
            "steering": access.steering_groups(process),
            "status_change": access.latest_status_change(process),
            "recent": recent,
            "top_sections": top,
            "sections": sections,
            **_section_context(user, process, [*top, *sections]),
        },
    )


def _her_side(process: Process, mine: set[UUID]) -> bool:
    """Whether the account is in the group that keeps the survivor's party:
    her choices (a pause, giving approvals herself) are for them to know."""
    keeper = access.keeping_group(process, Party.Role.HARMED)
    return keeper is not None and keeper.pk in mine


def _section_context(
    user: User, process: Process | None, sections: list[registry.Section]
) -> dict[str, Any]:
    """What the sections other apps add to a page need, read by each app
    through its own access core."""
    context: dict[str, Any] = {}
    for section in sections:
        context.update(section.context(user, process))
    return context


@require_GET
@access.per_object_access
def timeline(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = access.get_process_for_user(request, process_id)
    user = access.request_user(request)
    groups = list(access.groups_of(process))
    kind = request.GET.get("kind") or None
    if kind not in registry.KINDS:
        kind = None
    group_id = _uuid_or_none(request.GET.get("group"))
    if group_id not in {group.pk for group in groups}:
        group_id = None
    records = access.timeline_for(user, process, kind=kind, group_id=group_id)
    page = Paginator(records, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    access.open_keys(page.object_list, process.data_key_id)
    mine = access.group_ids_for(user, process.pk)
    return render(
        request,
        "processes/timeline.html",
        {
            "process": process,
            "terms": process.terms,
            "page": page,
            "groups": groups,
            "kinds": registry.kind_choices(),
            "kind": kind,
            "group_id": group_id,
            "writable_groups": [g for g in groups if g.pk in mine],
        },
    )


def _uuid_or_none(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@access.per_object_access
def process_edit(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = access.get_steered_process_for_user(request, process_id)
    user = access.request_user(request)
    named = access.groups_that_may_be_named_to_steer(process)
    initial = {
        "name": process.name,
        "started_on": process.started_on,
        "harmed_term": process.harmed_term,
        "harming_term": process.harming_term,
        "harming_pronoun": process.harming_pronoun,
        "status": process.status,
        "steering": named.filter(steers=True),
        "version": process.version,
    }
    form = EditProcessForm(posted(request), initial=initial, named=named)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        version, steering = changes.pop("version"), changes.pop("steering", None)
        try:
            services.update_process(
                process,
                by=user,
                group=access.acting_steering_group(user, process),
                expected_version=version,
                changes=changes,
                steering=steering,
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The process settings are saved."))
            return redirect("hs-process", process.pk)
    return render(
        request,
        "processes/process_edit.html",
        {"process": process, "form": form, "steering": access.steering_groups(process)},
    )


@require_http_methods(["GET", "POST"])
@access.per_object_access
def party_edit(request: HttpRequest, process_id: UUID, role: str) -> HttpResponse:
    process = access.get_steered_process_for_user(request, process_id)
    party = access.parties_of(process).get(role)
    if party is None or role not in dict(Party.Role.choices):
        raise Http404
    initial = {"pseudonym": party.pseudonym, "version": party.version}
    form = PartyForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_party(
                party,
                by=access.request_user(request),
                expected_version=form.cleaned_data["version"],
                pseudonym=form.cleaned_data["pseudonym"],
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The pseudonym is saved."))
            return redirect("hs-process", process.pk)
    return render(
        request,
        "processes/party_edit.html",
        {"process": process, "terms": process.terms, "party": party, "form": form},
    )


@require_GET
@access.per_object_access
def responsibilities(request: HttpRequest, process_id: UUID) -> HttpResponse:
    """Which group carries which task, each with the way to hand it over to
    another group: for those who steer the process (S51)."""
    process = access.get_steered_process_for_user(request, process_id)
    current = {r.kind: r for r in access.responsibilities_of(process)}
    rows = [(kind, label, current.get(kind)) for kind, label in Responsibility.Kind.choices]
    return render(
        request,
        "processes/responsibilities.html",
        {"process": process, "terms": process.terms, "rows": rows},
    )


@require_http_methods(["GET", "POST"])
@access.per_object_access
def hand_over(request: HttpRequest, process_id: UUID) -> HttpResponse:
    """Hand a task (``?task=``, contact unless said) to another group with its
    history (DESIGN C18). Any member of the process reaches the page; who
    may not do it is told whom to ask (S51); party accounts get 404 (S44)."""
    process = access.get_process_for_user(request, process_id)
    user = access.request_user(request)
    task = request.GET.get("task", "")
    if task not in Responsibility.Kind.values:
        task = Responsibility.Kind.CONTACT
    holder = {r.kind: r for r in access.responsibilities_of(process)}.get(task)
    context: dict[str, Any] = {
        "process": process,
        "terms": process.terms,
        "task": task,
        "task_label": Responsibility.Kind(task).label,
        "holder": holder.group if holder is not None else None,
    }
    refusal = services.refusal_for(user, process, task)
    # Every group, so that a second click finds the form as it was sent (the
    # group carrying the task is refused by the service, with a message).
    groups = access.groups_of(process)
    form = writes.offer(
        HandOverForm(
            posted(request),
            groups=groups,
            process=process,
            kinds=_history_choices(user, process, holder, task),
            last_hand_over=services.last_hand_overs(process).get(task),
            passing=holder is not None,
            initial={"kinds": registry.history_kinds(task), "afterwards": STAY},
        )
    )
    if request.method == "POST" and form.is_valid():

        def save(data: dict[str, Any]) -> str:
            services.hand_over(
                process,
                task,
                to=data["group"],
                by=user,
                reason=data["reason"],
                happened_on=data["happened_on"],
                kinds=data.get("kinds", []),
                handing_group_stays=data.get("afterwards") != LEAVE,
            )
            return reverse("hs-process", args=[process.pk])

        try:
            target = writes.save_once(user, form, save)
        except writes.AlreadySaved as first:  # a second click once it is done
            messages.info(request, first.message)
            return redirect(writes.fallback(request, first))
        except services.Refused as refusal_now:
            form.add_error(None, refusal_now.message)
        else:
            messages.success(request, _("The task is handed over, with what you chose to pass on."))
            return redirect(target)
    if refusal is not None:
        return render(request, "processes/hand_over.html", {**context, "refusal": refusal})
    return render(request, "processes/hand_over.html", {**context, "form": form})


def _history_choices(
    user: User, process: Process, holder: Responsibility | None, task: str
) -> list[tuple[str, str]]:
    """The kinds of records the handing group could pass on, with how many
    it reads of each: the task's own kinds first, then any other kind it has."""
    if holder is None:
        return []
    counts = dict(
        access.records_visible_to(user, process)
        .filter(audience__group_id=holder.group_id, kind__in=services.passable_kinds())
        .order_by()
        .values("kind")
        .annotate(count=Count("pk", distinct=True))
        .values_list("kind", "count")
    )
    own = registry.history_kinds(task)
    names = [*own, *sorted(name for name in counts if name not in own)]
    return [
        (
            name,
            _("%(kind)s (%(count)s)")
            % {"kind": capfirst(registry.kind(name).label), "count": counts.get(name, 0)},
        )
        for name in names
    ]


@require_GET
@access.per_object_access
def audit_log(request: HttpRequest, process_id: UUID) -> HttpResponse:
    """The process's audit entries concerning the groups this account coordinates."""
    process = access.get_coordinated_process_for_user(request, process_id)
    user = access.request_user(request)
    coordinated = access.coordinated_group_ids(user, process)
    entries = access.audit_entries_for(process, coordinated)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    names = access.usernames_in(process, coordinated)
    groups = {group.pk: group for group in access.groups_of(process)}
    rows = [
        (
            entry,
            describe(entry.action),
            names.get(entry.actor_id) if entry.actor_id else None,
            groups.get(entry.group_id) if entry.group_id else None,
        )
        for entry in page
    ]
    return render(
        request, "processes/audit_log.html", {"process": process, "page": page, "rows": rows}
    )
