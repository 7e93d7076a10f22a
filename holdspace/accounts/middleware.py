"""Server-side session lifetime: 30 minutes idle, 12 hours in all (S25); a
calm answer when password checks are queueing (S50)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from holdspace.accounts import kept
from holdspace.accounts.auth import AUTH_AT, SEEN_AT
from holdspace.accounts.models import User
from holdspace.lib import hardwork

log = logging.getLogger("holdspace.security")

# Refresh the "last seen" stamp at most this often, to spare session writes.
SEEN_RESOLUTION = 30.0


def seconds_left(request: HttpRequest) -> int | None:
    """Seconds until the session ends unless the person does something (the
    idle limit, or the absolute one if it comes first); None when nobody is
    logged in. Pages give it to the script that warns before the end."""
    if not request.user.is_authenticated:
        return None
    auth_at = request.session.get(AUTH_AT)
    seen_at = request.session.get(SEEN_AT)
    if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float):
        return None
    now = time.time()
    idle = seen_at + settings.SESSION_IDLE_TIMEOUT.total_seconds() - now
    total = auth_at + settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() - now
    return max(0, int(min(idle, total)))


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request: HttpRequest) -> None:
        now = time.time()
        auth_at = request.session.get(AUTH_AT)
        seen_at = request.session.get(SEEN_AT)
        if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float):
            auth_at = seen_at = 0.0  # a session without stamps is not trusted
        idle = now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
        total = now - auth_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if idle or total:
            log.info("session.expired user=%s", request.user.pk)
            if request.method == "POST" and isinstance(request.user, User):
                kept.keep(request, request.user)  # what was being written survives (issue 12)
            logout(request)
            messages.info(
                request, _("You were logged out because the session ran out. Please log in again.")
            )
            return
        # A draft sent by the page's script is no sign that someone is there.
        if now - seen_at > SEEN_RESOLUTION and request.path_info != reverse("hs-draft-save"):
            request.session[SEEN_AT] = now


class BusyMiddleware:
    """Answers "try again in a moment" (503 with Retry-After) when the
    process's password checks queue beyond their limit (lib.hardwork.Busy),
    instead of letting requests wait without end. The view's transaction was
    rolled back by then; no failed log-in is counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, hardwork.Busy):
            return None
        log.warning("hardwork.busy")
        response = render(request, "accounts/busy.html", status=503)
        response["Retry-After"] = str(hardwork.RETRY_AFTER)
        return response
