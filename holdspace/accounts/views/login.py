"""Log-in (password, then code), first two-factor set-up, and log-out."""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts import auth, kept, throttle
from holdspace.accounts.forms import CodeForm, EnrolForm, LoginForm
from holdspace.accounts.models import User
from holdspace.audit import services as audit
from holdspace.lib.http import posted
from holdspace.vault import accounts as vault_accounts
from holdspace.vault import session as vault_session
from holdspace.vault.instance import InstanceKeyError
from holdspace.web.policy import LOGIN_NEXT, declare, is_fully_signed_in, public, signed_in
from holdspace.web.views import CLEAR_ON_LOGOUT

log = logging.getLogger("holdspace.security")

PendingView = Callable[..., HttpResponseBase]
NEXT = LOGIN_NEXT
# Set by the first log-in (two-factor set-up): the safety page comes once.
FIRST_LOGIN = "hs_first_login"


def pending_login(view: PendingView) -> PendingView:
    """Policy: between the password and the code step of a log-in.

    The view receives the account as ``user``; without a fresh password
    step the browser is sent back to the log-in page.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = auth.pending_user(request)
        if user is None:
            messages.info(request, _("Please log in again."))
            return redirect("hs-login")
        return view(request, user, *args, **kwargs)

    return declare("pending_login")(wrapper)


def after_login(request: HttpRequest, *, setup_done: bool = False) -> str:
    """Where a fresh log-in continues: the recovery key first, if there is
    none yet, then the safety page after the first log-in, then where the
    person was going."""
    user = request.user
    if not setup_done and isinstance(user, User) and not vault_accounts.has_recovery_key(user):
        return reverse("hs-recovery-key")
    if request.session.get(FIRST_LOGIN):
        return reverse("hs-safety")
    target = str(request.session.pop(NEXT, None) or "")
    # Back to the page whose text was kept when the last session ran out.
    target = str(request.session.get(kept.SESSION_KEY) or target)
    # Only a path on this site (kept by web.policy.to_login or an invitation).
    return (
        target
        if target.startswith("/") and not target.startswith("//")
        else reverse("hs-dashboard")
    )


@require_http_methods(["GET", "POST"])
@public
def login_view(request: HttpRequest) -> HttpResponse:
    if is_fully_signed_in(request):
        return redirect("hs-dashboard")
    if request.method == "POST" and (wait := throttle.wait_seconds(request)):
        return network_busy(request, wait)
    form = LoginForm(posted(request))
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        user = auth.check_password(request, form.cleaned_data["username"], password)
        if user is not None:
            try:
                private = auth.open_keys(user, password)
            except auth.VaultUnavailable:
                return render(request, "accounts/vault_unavailable.html", status=503)
            # Where the person was going survives the new session (never the address).
            next_url = request.session.get(NEXT)
            auth.begin_second_factor(request, user)
            if next_url:
                request.session[NEXT] = next_url
            response = redirect("hs-login-code" if auth.has_two_factor(user) else "hs-login-setup")
            vault_session.store(request, response, user.pk, private)
            return response
        throttle.note_failure(request)
        log.info("login.failed")
        form.add_error(None, _("The username or password is not right. Please try again."))
    return render(request, "accounts/login.html", {"form": form})


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes shows after too many wrong passwords from one place.

    Identical for every username, known or not (S24).
    """
    log.warning("login.locked_out")
    form = LoginForm()
    return render(request, "accounts/login.html", {"form": form, "locked": True}, status=429)


def network_busy(request: HttpRequest, wait: int) -> HttpResponse:
    """Too many failed log-ins from this network just now (S50): no password
    is checked, no account is locked, and it passes by itself."""
    log.warning("login.network_busy")
    response = render(request, "accounts/network_busy.html", status=429)
    response["Retry-After"] = str(wait)
    return response


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Count failures per normalised username, so ``Alice`` and ``alice`` are one."""
    from holdspace.accounts.models import normalize_username

    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return normalize_username(str(raw))


@require_http_methods(["GET", "POST"])
@pending_login
def login_code(request: HttpRequest, user: User) -> HttpResponse:
    if not auth.has_two_factor(user):
        return redirect("hs-login-setup")
    # A backup code has letters: its own field, without the numeric keyboard.
    backup = request.GET.get("backup") == "1"
    form = CodeForm(posted(request), backup=backup)
    if request.method == "POST" and form.is_valid():
        device, throttled = auth.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            auth.complete_login(request, user, device)
            return redirect(after_login(request))
        log.info("login.code_wrong user=%s throttled=%s", user.pk, throttled)
        form.add_error(
            "code",
            _("Too many wrong codes. Please wait a minute, then try again.")
            if throttled
            else _("This code is not right or was already used. Please try again."),
        )
    return render(request, "accounts/login_code.html", {"form": form, "backup": backup})


@require_http_methods(["GET", "POST"])
@pending_login
def login_setup(request: HttpRequest, user: User) -> HttpResponse:
    """First log-in: nothing else is shown until an authenticator is set up."""
    if auth.has_two_factor(user):
        return redirect("hs-login-code")
    key = auth.enrolment_key(request, user)
    if key is None:
        return start_again(request)
    device = auth.enrolment_device(user, key)
    form = EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, throttled = auth.confirm_authenticator(request, user, form.cleaned_data["code"])
        if ok:
            auth.remember_new_backup_codes(request, user, auth.new_backup_codes(user))
            auth.complete_login(request, user, auth.confirmed_totp(user))
            request.session[FIRST_LOGIN] = True
            return redirect("hs-backup-codes")
        form.add_error("code", enrol_error(throttled))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": group_secret(auth.totp_secret(device)),
            "qr_url": reverse("hs-login-setup-qr"),
            "first_time": True,
        },
    )


def start_again(request: HttpRequest) -> HttpResponse:
    """The browser lost its key cookie (the session alone opens nothing, S7):
    log in again from the start."""
    logout(request)
    messages.info(request, _("Please log in again."))
    return redirect("hs-login")


def enrol_error(throttled: bool) -> str:
    if throttled:
        return _("Too many wrong codes. Please wait a minute, then try again.")
    return _(
        "This code is not right. Check that the time on your phone is correct and "
        "type the code that is shown now."
    )


def group_secret(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> HttpResponse:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=True)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_GET
@pending_login
def login_setup_qr(request: HttpRequest, user: User) -> HttpResponse:
    key = auth.enrolment_key(request, user)
    if key is None:
        return start_again(request)
    return qr_svg(auth.totp_uri(auth.enrolment_device(user, key)))


@require_GET
@signed_in
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The new backup codes, shown exactly once."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (guaranteed by @signed_in)
    codes = [auth.format_backup_code(code) for code in auth.pop_new_backup_codes(request, user)]
    # Then the recovery key, then back to where the log-in started (an invitation).
    return render(
        request, "accounts/backup_codes.html", {"codes": codes, "next": after_login(request)}
    )


@require_POST
@public
def logout_view(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        try:
            audit.log("account.logged_out", user=user, target=user)
        except InstanceKeyError:
            # Leaving must never fail; without the instance key no entry can
            # be written (S47), and the log says so, without content.
            log.error("audit.unavailable action=account.logged_out")
    logout(request)
    response = render(request, "accounts/logged_out.html")
    response["Clear-Site-Data"] = CLEAR_ON_LOGOUT
    return response
