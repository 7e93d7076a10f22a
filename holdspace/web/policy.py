"""Every view declares who may call it (S17): deny by default.

A policy decorator marks a view with the name of its policy. A system check
(`holdspace.web.checks`) fails for any routed view without one, and
`PolicyMiddleware` answers 404 for such a view at run time, so a forgotten
declaration can never open a page.

Policies defined here:

- ``public``: anybody, signed in or not (log-in page, quick exit).
- ``signed_in``: an active account that passed both factors.
- ``instance_admin``: signed in and an administrator of this instance.

Apps add their own (e.g. the access core's process policies) with
:func:`declare`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect

POLICY_ATTRIBUTE = "hs_policy"
View = TypeVar("View", bound=Callable[..., HttpResponseBase])

security_log = logging.getLogger("holdspace.security")

# Where a log-in continues, kept in the session, never in the address (S33).
LOGIN_NEXT = "hs_login_next"


def declare(name: str) -> Callable[[View], View]:
    """Mark a view as checked by the policy ``name`` (the check is the caller's)."""

    def mark(view: View) -> View:
        setattr(view, POLICY_ATTRIBUTE, name)
        return view

    return mark


def policy_of(view: Callable[..., Any]) -> str | None:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return cast(str | None, getattr(view_class, POLICY_ATTRIBUTE, None))
    return cast(str | None, getattr(view, POLICY_ATTRIBUTE, None))


def log_denied(request: HttpRequest, reason: str, object_id: object = None) -> None:
    """Write a content-free line about a refused request (S20)."""
    user = getattr(request, "user", None)
    user_id = getattr(user, "pk", None) if user is not None else None
    match = getattr(request, "resolver_match", None)
    security_log.warning(
        "denied reason=%s user=%s view=%s object=%s",
        reason,
        user_id or "-",
        getattr(match, "view_name", None) or "-",
        object_id or "-",
    )


def is_fully_signed_in(request: HttpRequest) -> bool:
    user = request.user
    # django-otp's middleware gives the user `is_verified()`: both factors passed.
    verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and user.is_active and verified and verified())


def to_login(request: HttpRequest) -> HttpResponseBase:
    """The log-in page, with no path in its address (S33).

    A path in the address would show where someone was, in the history and
    on screen after a quick exit. The wanted page is kept in the session, and
    only for a browser whose session just ran out: after a quick exit or a
    log-out the browser has no session cookie left, so nothing is kept.
    """
    if request.method == "GET" and settings.SESSION_COOKIE_NAME in request.COOKIES:
        request.session[LOGIN_NEXT] = request.get_full_path()
    return redirect(settings.LOGIN_URL)


def public(view: View) -> View:
    return declare("public")(view)


def signed_in(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_fully_signed_in(request):
            return to_login(request)
        return view(request, *args, **kwargs)

    return declare("signed_in")(cast(View, wrapper))


def instance_admin(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_fully_signed_in(request):
            return to_login(request)
        if not getattr(request.user, "is_instance_admin", False):
            log_denied(request, "not_instance_admin")
            raise Http404
        return view(request, *args, **kwargs)

    return declare("instance_admin")(cast(View, wrapper))
