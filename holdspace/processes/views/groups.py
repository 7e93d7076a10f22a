"""A group's space: members, invitations, leaving, removal, coordination."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.views.account import recent_password
from holdspace.lib.http import posted
from holdspace.processes import access, registry, services, writes
from holdspace.processes.forms import (
    ConfirmConflictForm,
    EditGroupForm,
    EditMembershipForm,
    GroupForm,
    InviteForm,
)
from holdspace.processes.models import Membership

PENDING_MESSAGE = gettext_lazy(
    "A coordinator of the group will read your declaration and confirm it. Until "
    "then you cannot see the group's space."
)


@require_GET
@access.per_object_access
def group_detail(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, mine = access.get_group_for_user(request, group_id)
    members = list(access.members_of(group))
    waiting = access.waiting_for_key(group)
    return render(
        request,
        "processes/group_detail.html",
        {
            "waiting": waiting,
            "members_waiting": [m for m in members if m.user_id in waiting],
            "group": group,
            "process": group.process,
            "terms": group.process.terms,
            "mine": mine,
            "members": members,
            "invitations": access.pending_invitations(group) if mine.is_coordinator else [],
            "invite_form": InviteForm(),
            "kinds": registry.kind_choices(),
            "responsibilities": [
                r for r in access.responsibilities_of(group.process) if r.group_id == group.pk
            ],
            "status_change": access.latest_status_change(group.process),
        },
    )


@require_http_methods(["GET", "POST"])
@access.per_object_access
def group_new(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = access.get_coordinated_process_for_user(request, process_id)
    user = access.request_user(request)
    form = writes.offer(GroupForm(posted(request)))
    if request.method == "POST" and form.is_valid():

        def save(data: dict[str, Any]) -> str:
            return reverse("hs-group", args=[services.add_group(process, by=user, **data).pk])

        try:  # added once, however often the form is sent (S52)
            target = writes.save_once(user, form, save)
        except writes.AlreadySaved as first:
            messages.info(request, first.message)
            return redirect(writes.fallback(request, first))
        messages.success(
            request, _("The group is added. You coordinate it; invite its members now.")
        )
        return redirect(target)
    return render(request, "processes/group_new.html", {"process": process, "form": form})


@require_http_methods(["GET", "POST"])
@access.per_object_access
def group_edit(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _mine = access.get_group_for_user(request, group_id, coordinator=True)
    initial = {"name": group.name, "purpose": group.purpose, "version": group.version}
    form = EditGroupForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_group(
                group,
                by=access.request_user(request),
                expected_version=data["version"],
                name=data["name"],
                purpose=data["purpose"],
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The group is saved."))
            return redirect("hs-group", group.pk)
    return render(request, "processes/group_edit.html", {"group": group, "form": form})


@require_POST
@access.per_object_access
def invite(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _mine = access.get_group_for_user(request, group_id, coordinator=True)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a role for the invitation."))
        return redirect("hs-group", group.pk)
    invitation, token = services.invite(group, by=access.request_user(request), **form.cleaned_data)
    link = request.build_absolute_uri(reverse("hs-join", args=[token]))
    return render(
        request,
        "processes/invitation_created.html",
        {"group": group, "invitation": invitation, "link": link},
    )


@require_POST
@access.per_object_access
def revoke_invitation(request: HttpRequest, group_id: UUID, invitation_id: UUID) -> HttpResponse:
    group, _mine = access.get_group_for_user(request, group_id, coordinator=True)
    invitation = access.get_invitation_of_group(request, group, invitation_id)
    services.revoke_invitation(invitation, by=access.request_user(request))
    messages.success(request, _("The link no longer works."))
    return redirect("hs-group", group.pk)


@require_http_methods(["GET", "POST"])
@access.per_object_access
def leave(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, mine = access.get_group_for_user(request, group_id)
    if request.method == "POST":
        try:
            services.leave(mine, by=access.request_user(request))
        except services.Refused as refusal:
            messages.error(request, str(refusal.message))
            return redirect("hs-group", group.pk)
        messages.success(request, _("You left the group. Thank you for your work in it."))
        return redirect("hs-dashboard")
    return render(request, "processes/leave.html", {"group": group})


@require_http_methods(["GET", "POST"])
@access.per_object_access
@recent_password
def remove_member(request: HttpRequest, group_id: UUID, membership_id: UUID) -> HttpResponse:
    group, _mine = access.get_group_for_user(request, group_id, coordinator=True)
    member = access.get_member_of_group(request, group, membership_id)
    if request.method == "POST":
        try:
            services.remove_member(member, by=access.request_user(request))
        except services.Refused as refusal:
            messages.error(request, str(refusal.message))
        else:
            messages.success(request, _("The member is removed from the group."))
        return redirect("hs-group", group.pk)
    return render(request, "processes/remove_member.html", {"group": group, "member": member})


@require_POST
@access.per_object_access
def make_coordinator(request: HttpRequest, group_id: UUID, membership_id: UUID) -> HttpResponse:
    """Add a coordinator, or — with ``step_down`` — hand coordination over."""
    group, mine = access.get_group_for_user(request, group_id, coordinator=True)
    member = access.get_member_of_group(request, group, membership_id)
    step_down = mine if request.POST.get("step_down") == "yes" else None
    try:
        services.make_coordinator(member, by=access.request_user(request), step_down=step_down)
    except services.Refused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(
            request,
            _("Coordination is handed over.") if step_down else _("They now coordinate too."),
        )
    return redirect("hs-group", group.pk)


@require_http_methods(["GET", "POST"])
@access.per_object_access
def confirm_conflict(request: HttpRequest, group_id: UUID, membership_id: UUID) -> HttpResponse:
    group, _mine = access.get_group_for_user(request, group_id, coordinator=True)
    member = access.get_member_of_group(request, group, membership_id)
    form = ConfirmConflictForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_conflict(
                member, by=access.request_user(request), reason=form.cleaned_data["reason"]
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Confirmed. They can now take part in the group."))
            return redirect("hs-group", group.pk)
    return render(
        request,
        "processes/confirm_conflict.html",
        {"group": group, "member": member, "form": form, "terms": group.process.terms},
    )


@require_http_methods(["GET", "POST"])
@access.per_object_access
def membership_edit(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, mine = access.get_group_for_user(request, group_id)
    initial = {
        "commitment_until": mine.commitment_until,
        "capacity_note": mine.capacity_note,
        "conflict_of_interest": mine.conflict_of_interest,
        "version": mine.version,
    }
    form = EditMembershipForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            status = services.update_membership(
                mine,
                by=access.request_user(request),
                expected_version=data["version"],
                commitment_until=data["commitment_until"],
                capacity_note=data["capacity_note"],
                conflict_of_interest=data["conflict_of_interest"],
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            if status == Membership.Status.PENDING:
                messages.info(request, PENDING_MESSAGE)
                return redirect("hs-dashboard")
            messages.success(request, _("Saved."))
            return redirect("hs-group", group.pk)
    return render(request, "processes/membership_edit.html", {"group": group, "form": form})


@require_POST
@access.per_object_access
def restore_access(request: HttpRequest, group_id: UUID, membership_id: UUID) -> HttpResponse:
    """Give a member the group's key ("restore access for …"), deliberately."""
    group, _mine = access.get_group_for_user(request, group_id, coordinator=True)
    member = access.get_member_of_group(request, group, membership_id)
    try:
        services.restore_access(member, by=access.request_user(request))
    except services.Refused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("They can read the group's texts again."))
    return redirect("hs-group", group.pk)
