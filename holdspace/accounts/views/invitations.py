"""Single-use links: accept an invitation, set a new password; forgotten password help."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from holdspace.accounts import auth
from holdspace.accounts.forms import AcceptInvitationForm, SetPasswordForm
from holdspace.accounts.models import Invitation, User
from holdspace.audit import services as audit
from holdspace.lib.http import posted
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
        with transaction.atomic():
            # Lock and re-check: two tabs must not both use one invitation.
            locked = Invitation.objects.select_for_update().usable().filter(pk=invitation.pk)
            if not locked.exists():
                return link_unusable(request)
            user = User.objects.create_user(
                form.cleaned_data["username"],
                form.cleaned_data["new_password"],
                is_instance_admin=invitation.grants_instance_admin,
            )
            locked.update(used_at=timezone.now(), account=user)
            audit.log("invitation.used", user=user, target=invitation)
            audit.log("account.created", user=user, target=user)
        auth.begin_second_factor(request, user)
        return redirect("hs-login-setup")
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
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().usable().filter(pk=invitation.pk)
            if not locked.exists():
                return link_unusable(request)
            user.set_password(form.cleaned_data["new_password"])
            user.save(update_fields=["password"])
            if invitation.resets_two_factor:
                TOTPDevice.objects.filter(user=user).delete()
                StaticDevice.objects.filter(user=user).delete()
            locked.update(used_at=timezone.now())
            auth.end_sessions(user)
            audit.log("account.password_reset", user=user, target=user)
        messages.success(request, _("Your new password is set. Please log in with it."))
        return redirect("hs-login")
    return render(request, "accounts/reset_password.html", {"form": form})


@require_GET
@public
def forgot_password(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/forgot.html")
