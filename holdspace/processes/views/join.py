"""Joining a group with an invitation link, with an existing or a new account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from holdspace.accounts import auth
from holdspace.accounts.forms import AcceptInvitationForm
from holdspace.accounts.models import User
from holdspace.accounts.views.invitations import link_unusable
from holdspace.accounts.views.login import NEXT
from holdspace.lib.http import posted
from holdspace.processes import access, services
from holdspace.processes.forms import JoinForm
from holdspace.processes.models import Membership
from holdspace.processes.views.groups import PENDING_MESSAGE
from holdspace.vault import session as vault_session
from holdspace.web.policy import is_fully_signed_in, public


@require_http_methods(["GET", "POST"])
@public
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link. Signed in: confirm and join. Otherwise: log in
    or create an account first, then come back here."""
    invitation = access.usable_invitation(token)
    if invitation is None:
        return link_unusable(request)
    group = invitation.group
    if not is_fully_signed_in(request):
        return render(
            request,
            "processes/join_start.html",
            {
                "group": group,
                "here": reverse("hs-join", args=[token]),
                "can_create_account": invitation.created_account_id is None,
                "token": token,
            },
        )
    # The link carries the group's key: the invited person may read the group's
    # and the process's names before deciding.
    services.open_invitation_for_reading(invitation, token)
    form = JoinForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)  # noqa: S101  (signed in)
        try:
            membership = services.join(token, user, **form.cleaned_data)
        except services.Refused as refusal:
            messages.error(request, str(refusal.message))
            return redirect("hs-dashboard")
        if membership.status == Membership.Status.PENDING:
            messages.info(request, PENDING_MESSAGE)
            return redirect("hs-dashboard")
        messages.success(request, _("Welcome to the group."))
        return redirect("hs-group", group.pk)
    return render(
        request,
        "processes/join.html",
        {"group": group, "invitation": invitation, "form": form, "terms": group.process.terms},
    )


@require_http_methods(["GET", "POST"])
@public
def join_new_account(request: HttpRequest, token: str) -> HttpResponse:
    """Create an account with a group invitation, then set up two-factor and
    come back to join. A link creates at most one account."""
    invitation = access.usable_invitation(token)
    if invitation is None or invitation.created_account_id is not None:
        return link_unusable(request)
    form = AcceptInvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user, private = services.create_account_for_invitation(
                token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["new_password"],
            )
        except services.Refused:
            return link_unusable(request)
        auth.begin_second_factor(request, user)
        request.session[NEXT] = reverse("hs-join", args=[token])
        response = redirect("hs-login-setup")
        vault_session.store(request, response, user.pk, private)
        return response
    return render(request, "processes/join_new_account.html", {"form": form})
