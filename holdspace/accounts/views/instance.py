"""Instance administration: invite people, reset and deactivate accounts.

Administrators see accounts, never process data.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts import services
from holdspace.accounts.forms import InviteForm, ResetForm
from holdspace.accounts.models import AuthenticatorDevice, Invitation, User
from holdspace.accounts.signals import DeactivationRefused
from holdspace.accounts.views.account import recent_password
from holdspace.lib.http import posted
from holdspace.web.policy import instance_admin


def _account(account_id: UUID) -> User:
    account = User.objects.filter(pk=account_id).first()
    if account is None:
        raise Http404
    return account


def _link_page(
    request: HttpRequest, invitation: Invitation, token: str, url_name: str
) -> HttpResponse:
    """Show a new link once; it is not stored anywhere but in this response."""
    link = request.build_absolute_uri(reverse(url_name, args=[token]))
    return render(
        request, "accounts/instance/link_created.html", {"invitation": invitation, "link": link}
    )


@require_GET
@instance_admin
def accounts(request: HttpRequest) -> HttpResponse:
    users = list(User.objects.all())
    with_two_factor = set(
        AuthenticatorDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )
    pending = Invitation.objects.usable().select_related("created_by")
    return render(
        request,
        "accounts/instance/accounts.html",
        {
            "accounts": [(user, user.pk in with_two_factor) for user in users],
            "pending": pending,
            "invite_form": InviteForm(),
        },
    )


@require_POST
@instance_admin
@recent_password
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return redirect("hs-instance-accounts")
    invitation, token = services.invite(
        by=_admin(request),
        grants_instance_admin=form.cleaned_data["grants_instance_admin"],
        grants_process_start=form.cleaned_data["grants_process_start"],
    )
    return _link_page(request, invitation, token, "hs-invite")


@require_POST
@instance_admin
def revoke_invitation(request: HttpRequest, invitation_id: UUID) -> HttpResponse:
    if not services.revoke_invitation(invitation_id, by=_admin(request)):
        raise Http404
    messages.success(request, _("The link no longer works."))
    return redirect("hs-instance-accounts")


@require_http_methods(["GET", "POST"])
@instance_admin
@recent_password
def reset_account(request: HttpRequest, account_id: UUID) -> HttpResponse:
    account = _account(account_id)
    form = ResetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        invitation, token = services.reset_link(
            account, by=_admin(request), resets_two_factor=form.cleaned_data["resets_two_factor"]
        )
        return _link_page(request, invitation, token, "hs-reset-password")
    return render(request, "accounts/instance/reset.html", {"account": account, "form": form})


@require_http_methods(["GET", "POST"])
@instance_admin
@recent_password
def deactivate(request: HttpRequest, account_id: UUID) -> HttpResponse:
    """Explain what deactivating does, then do it: like removing the person
    from every group at once (see services.deactivate)."""
    account = _account(account_id)
    if account.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
        return redirect("hs-instance-accounts")
    if not account.is_active:
        return redirect("hs-instance-accounts")
    refusal = None
    if request.method == "POST":
        try:
            services.deactivate(account, by=_admin(request))
        except DeactivationRefused as refused:
            refusal = refused.message
        else:
            messages.success(
                request,
                _(
                    "The account can no longer log in. It left all its groups; if the "
                    "person comes back, the groups invite them again."
                ),
            )
            return redirect("hs-instance-accounts")
    return render(
        request,
        "accounts/instance/deactivate.html",
        {"account": account, "holding": services.key_holding(account), "refusal": refusal},
    )


@require_POST
@instance_admin
def process_start(request: HttpRequest, account_id: UUID) -> HttpResponse:
    """Allow an account to start processes, or no longer (an instance
    setting per account; administrators always may). Sent twice, the same."""
    account = _account(account_id)
    allow = request.POST.get("allow") == "yes"
    services.allow_process_start(account, allow=allow, by=_admin(request))
    messages.success(
        request,
        _("This account may now start processes.")
        if allow
        else _("This account can no longer start processes. Its processes stay as they are."),
    )
    return redirect("hs-instance-accounts")


@require_POST
@instance_admin
@recent_password
def reactivate(request: HttpRequest, account_id: UUID) -> HttpResponse:
    account = _account(account_id)
    if not account.is_active:
        services.reactivate(account, by=_admin(request))
    messages.success(
        request,
        _(
            "The account can log in again. It is in no group: the groups it left "
            "have to invite it again."
        ),
    )
    return redirect("hs-instance-accounts")


def _admin(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (guaranteed by @instance_admin)
    return user
