"""Linking an account to one of the two people the process is about: the
keeping group's page that makes the link, and the link itself."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from holdspace.accounts import auth
from holdspace.accounts.forms import AcceptInvitationForm
from holdspace.accounts.models import User
from holdspace.accounts.views.invitations import link_unusable
from holdspace.accounts.views.login import NEXT
from holdspace.lib.http import posted
from holdspace.processes import access
from holdspace.processes.models import Party
from holdspace.processes.services import Refused
from holdspace.processes.services import parties as services
from holdspace.vault import session as vault_session
from holdspace.web.policy import is_fully_signed_in, public

# Where each party's own pages begin.
HOMES = {Party.Role.HARMING: "hs-portal", Party.Role.HARMED: "hs-survivor"}


def _role(request: HttpRequest, role: str) -> str:
    if role not in HOMES:
        raise access.deny(request, "no_such_party", role)
    return role


@require_http_methods(["GET", "POST"])
@access.per_object_access
def party_link(request: HttpRequest, process_id: UUID, role: str) -> HttpResponse:
    """For coordinators of the keeping group: whether an account is linked,
    the links waiting to be used, and a new link (POST)."""
    group, party = access.get_keeping_group_for_user(request, process_id, _role(request, role))
    process = party.process
    if request.method == "POST":
        try:
            invitation, token = services.invite(party, by=access.request_user(request), group=group)
        except Refused as refusal:
            messages.error(request, str(refusal.message))
            return redirect("hs-party-link", process.pk, role)
        link = request.build_absolute_uri(reverse("hs-party-join", args=[token]))
        return render(
            request,
            "processes/party_link_created.html",
            {
                "process": process,
                "terms": process.terms,
                "party": party,
                "link": link,
                "invitation": invitation,
            },
        )
    return render(
        request,
        "processes/party_link.html",
        {
            "process": process,
            "terms": process.terms,
            "party": party,
            "waiting": access.party_invitations(party),
        },
    )


@require_POST
@access.per_object_access
def party_link_revoke(
    request: HttpRequest, process_id: UUID, role: str, invitation_id: UUID
) -> HttpResponse:
    _group, party = access.get_keeping_group_for_user(request, process_id, _role(request, role))
    invitation = access.get_child(
        request, access.party_invitations(party), invitation_id, "no_such_party_invitation"
    )
    services.revoke(invitation, by=access.request_user(request))
    messages.success(request, _("The link no longer works."))
    return redirect("hs-party-link", party.process_id, role)


class PartyAccountForm(AcceptInvitationForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Django's forms take any arguments
        self.fields["username"].help_text = gettext_lazy(
            "You log in with it. It does not need to be your real name."
        )


@require_http_methods(["GET", "POST"])
@public
def party_join(request: HttpRequest, token: str) -> HttpResponse:
    """The link. Signed in: confirm and link. Otherwise: log in or create
    an account first, then come back here."""
    invitation = access.usable_party_invitation(token)
    if invitation is None:
        return link_unusable(request)
    here = reverse("hs-party-join", args=[token])
    if not is_fully_signed_in(request):
        return render(
            request,
            "processes/party_join_start.html",
            {
                "here": here,
                "token": token,
                "can_create_account": invitation.created_account_id is None,
            },
        )
    if request.method == "POST":
        user = request.user
        assert isinstance(user, User)  # noqa: S101  (signed in)
        try:
            party = services.accept(token, user)
        except Refused as refusal:
            messages.error(request, str(refusal.message))
            return redirect(here)
        messages.success(request, _("Welcome. These pages are yours."))
        return redirect(HOMES[Party.Role(party.role)])
    return render(
        request,
        "processes/party_join.html",
        {"harming": invitation.party.role == Party.Role.HARMING},
    )


@require_http_methods(["GET", "POST"])
@public
def party_join_new_account(request: HttpRequest, token: str) -> HttpResponse:
    """Create an account with a party link, set up two-factor log-in, and
    come back to use the link. A link creates at most one account."""
    invitation = access.usable_party_invitation(token)
    if invitation is None or invitation.created_account_id is not None:
        return link_unusable(request)
    form = PartyAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user, private = services.create_account_for_link(
                token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["new_password"],
            )
        except Refused:
            return link_unusable(request)
        auth.begin_second_factor(request, user)
        request.session[NEXT] = reverse("hs-party-join", args=[token])
        response = redirect("hs-login-setup")
        vault_session.store(request, response, user.pk, private)
        return response
    return render(request, "processes/join_new_account.html", {"form": form, "for_party": True})
