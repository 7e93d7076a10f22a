"""Your account: password, two-factor, backup codes, sessions, re-authentication."""

from __future__ import annotations

import functools
import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts import auth, services
from holdspace.accounts.forms import (
    ChangePasswordForm,
    ConfirmPasswordForm,
    EnrolForm,
    RecoveryConfirmForm,
)
from holdspace.accounts.models import Session, User
from holdspace.accounts.views.login import (
    after_login,
    enrol_error,
    group_secret,
    qr_svg,
    start_again,
)
from holdspace.lib.http import posted, safe_next
from holdspace.vault import accounts as vault_accounts
from holdspace.vault import session as vault_session
from holdspace.vault.keyring import current as current_keyring
from holdspace.web.policy import View, signed_in

log = logging.getLogger("holdspace.security")

REAUTH_FAILURES = "hs_reauth_failures"
REAUTH_MAX_FAILURES = 5


def recent_password(view: View) -> View:
    """Sensitive actions need the password confirmed within the last minutes (S26).

    Use inside a policy decorator: ``@signed_in`` then ``@recent_password``.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not auth.recently_authenticated(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('hs-reauth')}?{query}")
        return view(request, *args, **kwargs)

    # Lets a test list every sensitive route (functools.wraps carries it out).
    wrapper.hs_recent_password = True  # type: ignore[attr-defined]  # a marker for the tests
    return wrapper  # type: ignore[return-value]  # wraps keeps the view's type


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (guaranteed by @signed_in)
    return user


@require_GET
@signed_in
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    other_sessions = (
        Session.objects.filter(user=user).exclude(session_key=request.session.session_key).count()
    )
    return render(
        request,
        "accounts/account.html",
        {
            "backup_codes_left": auth.backup_codes_left(user),
            "other_sessions": other_sessions,
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in
def reauth(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ConfirmPasswordForm(posted(request), user=user)
    if request.method == "POST":
        if form.is_valid():
            request.session.pop(REAUTH_FAILURES, None)
            auth.mark_reauthenticated(request)
            return redirect(safe_next(request, reverse("hs-account")))
        failures = int(request.session.get(REAUTH_FAILURES, 0)) + 1
        request.session[REAUTH_FAILURES] = failures
        log.info("reauth.failed user=%s", user.pk)
        if failures >= REAUTH_MAX_FAILURES:
            logout(request)
            messages.warning(request, _("You were logged out after several wrong passwords."))
            return redirect("hs-login")
    return render(request, "accounts/reauth.html", {"form": form, "next": safe_next(request, "")})


@require_http_methods(["GET", "POST"])
@signed_in
def change_password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChangePasswordForm(posted(request), user=user)
    private = current_keyring().private_key()
    if request.method == "POST" and form.is_valid() and private is not None:
        services.change_password(user, private, form.cleaned_data["new_password"])
        update_session_auth_hash(request, user)
        if form.cleaned_data["end_other_sessions"]:
            ended = auth.end_sessions(user, keep=request.session.session_key)
        else:
            ended = 0
            auth.keep_other_sessions(user, keep=request.session.session_key)
        auth.mark_reauthenticated(request)
        messages.success(request, _("Your password is changed."))
        if ended:
            messages.info(request, _("You were logged out everywhere else."))
        return redirect("hs-account")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
@signed_in
@recent_password
def regenerate_backup_codes(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        user = _user(request)
        auth.remember_new_backup_codes(request, user, auth.new_backup_codes(user))
        return redirect("hs-backup-codes")
    return render(request, "accounts/backup_codes_confirm.html")


@require_http_methods(["GET", "POST"])
@signed_in
@recent_password
def replace_authenticator(request: HttpRequest) -> HttpResponse:
    """Move two-factor to a new phone: the old app keeps working until the new
    one is confirmed with a code."""
    user = _user(request)
    key = auth.enrolment_key(request, user)
    if key is None:
        return start_again(request)
    device = auth.enrolment_device(user, key)
    form = EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, throttled = auth.confirm_authenticator(request, user, form.cleaned_data["code"])
        if ok:
            messages.success(request, _("Your new authenticator app is set up."))
            return redirect("hs-account")
        form.add_error("code", enrol_error(throttled))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": group_secret(auth.totp_secret(device)),
            "qr_url": reverse("hs-account-authenticator-qr"),
            "first_time": False,
        },
    )


@require_GET
@signed_in
@recent_password
def replace_authenticator_qr(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    key = auth.enrolment_key(request, user)
    if key is None:
        return start_again(request)
    return qr_svg(auth.totp_uri(auth.enrolment_device(user, key)))


@require_POST
@signed_in
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    count = services.end_other_sessions(_user(request), keep=request.session.session_key)
    messages.success(
        request,
        _("You were logged out everywhere else.") if count else _("There were no other sessions."),
    )
    return redirect("hs-account")


RECOVERY_PENDING = "hs_recovery_pending"


@require_http_methods(["GET", "POST"])
@signed_in
@recent_password
def recovery_key(request: HttpRequest) -> HttpResponse:
    """Show a new recovery key once; it takes effect when typed back (S8)."""
    user = _user(request)
    private = current_keyring().private_key()
    pending = vault_session.load_extra(request, user.pk, RECOVERY_PENDING)
    if pending is None:
        pending = vault_accounts.new_recovery_key()
        vault_session.store_extra(request, user.pk, RECOVERY_PENDING, pending)
    form = RecoveryConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid() and private is not None:
        typed = vault_accounts.normalise_recovery_key(form.cleaned_data["recovery_key"])
        if typed != vault_accounts.normalise_recovery_key(pending):
            form.add_error(
                "recovery_key",
                _("This is not the key shown above. Please check each group of characters."),
            )
        else:
            services.set_recovery_key(user, private, pending)
            request.session.pop(RECOVERY_PENDING, None)
            messages.success(request, _("Your recovery key is set. Keep it safe."))
            return redirect(after_login(request, setup_done=True))
    return render(
        request,
        "accounts/recovery_key.html",
        {
            "recovery_key": pending,
            "form": form,
            "has_key": vault_accounts.has_recovery_key(user),
            "later": reverse("hs-dashboard"),
        },
    )
