"""Single-use links: accept an invitation, set a new password; forgotten password help."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from holdspace.accounts import auth, services, throttle
from holdspace.accounts.forms import AcceptInvitationForm, RecoveryResetForm, SetPasswordForm
from holdspace.accounts.models import Invitation, User
from holdspace.accounts.views import login as login_views
from holdspace.lib.http import posted
from holdspace.vault import accounts as vault_accounts
from holdspace.vault import session as vault_session
from holdspace.web.policy import public


def link_unusable(request: HttpRequest) -> HttpResponse:
    """One answer for unknown, expired, used and revoked links (S24, S27).

    Status 200: a 4xx would make the token show up in request logs.
    """
    return render(request, "accounts/link_unusable.html")


@require_http_methods(["GET", "POST"])
@public
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.find_usable(Invitation.Kind.ACCOUNT, token)
    if invitation is None:
        return link_unusable(request)
    form = AcceptInvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        made = services.accept_invitation(
            invitation,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["new_password"],
        )
        if made is None:
            return link_unusable(request)
        user, private = made
        auth.begin_second_factor(request, user)
        response = redirect("hs-login-setup")
        vault_session.store(request, response, user.pk, private)
        return response
    return render(request, "accounts/invitation_accept.html", {"form": form})


@require_http_methods(["GET", "POST"])
@public
def reset_password(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.find_usable(Invitation.Kind.RESET, token)
    if invitation is None or invitation.account is None:
        return link_unusable(request)
    user = invitation.account
    form = SetPasswordForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        if not services.reset_password(invitation, user, form.cleaned_data["new_password"]):
            return link_unusable(request)
        messages.success(request, _("Your new password is set. Please log in with it."))
        return redirect("hs-login")
    return render(request, "accounts/reset_password.html", {"form": form})


@require_http_methods(["GET", "POST"])
@public
def recover(request: HttpRequest) -> HttpResponse:
    """A forgotten password, with the recovery key: everything stays readable (S8)."""
    if request.method == "POST" and (wait := throttle.wait_seconds(request)):
        return login_views.network_busy(request, wait)
    form = RecoveryResetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        credentials = {"username": username}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return login_views.locked_out(request)
        user = User.objects.filter(username=username, is_active=True).first()
        private = _open_with_recovery(user, form.cleaned_data["recovery_key"])
        if user is None or private is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            throttle.note_failure(request)
            form.add_error(None, _("The username or the recovery key is not right."))
        else:
            services.recover(user, private, form.cleaned_data["new_password"])
            messages.success(request, _("Your new password is set. Please log in with it."))
            return redirect("hs-login")
    return render(request, "accounts/recover.html", {"form": form})


def _open_with_recovery(user: User | None, recovery_text: str) -> bytes | None:
    """The private key, or None — with the same work for unknown accounts (S24)."""
    if user is None:
        vault_accounts.recovery_attempt_cost_for_unknown(recovery_text)
        return None
    try:
        return vault_accounts.unlock_with_recovery(user, recovery_text)
    except vault_accounts.WrongRecoveryKey:
        return None


@require_GET
@public
def forgot_password(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/forgot.html")
